package io.parley.sql;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which nodes have which rooms and users present, shared by every node of a cluster through the
 * database, and the webhook events of its cluster-wide transitions: {@value #ROOM_OCCUPIED} when a
 * room's first member anywhere joined, {@value #ROOM_VACATED} when its last one anywhere left,
 * {@value #USER_ONLINE} / {@value #USER_OFFLINE} for a user's first and last session. Each event is
 * written to the {@link WebhookOutbox} in the transaction that changes the holders, under the key's
 * row lock, so each transition writes exactly one event even when nodes change the same key at
 * once, and a key's events are written in the order of its transitions. Obtain it from {@link
 * MessageStore#presenceLedger()} of a store opened by {@link Stores#openWithWebhookOutbox}.
 *
 * <p>Every operation is idempotent per node: adding a key a node holds, or removing one it does
 * not hold, changes nothing and writes nothing. A node's callers can therefore repeat an operation
 * whose outcome they did not learn, and {@link #reconcile} a node to what it has.
 *
 * <p>Liveness: each operation renews the node's lease; a node whose lease is older than the
 * caller's {@code lease} is removed by {@link #removeSilent} (run by any other node), as if all its
 * members and sessions had left.
 *
 * <p>Threading: safe for many threads; each call is one or two transactions on a pooled connection.
 */
public interface PresenceLedger {

  String ROOM_OCCUPIED = "room.occupied";
  String ROOM_VACATED = "room.vacated";
  String USER_ONLINE = "user.online";
  String USER_OFFLINE = "user.offline";

  /** What a presence key names. */
  enum Kind {
    /** A room: present while it has a member. */
    ROOM("room:", ROOM_OCCUPIED, ROOM_VACATED, "room"),
    /** A user: present while they have a session. */
    USER("user:", USER_ONLINE, USER_OFFLINE, "user");

    private final String prefix;
    private final String cameType;
    private final String wentType;
    private final String field;

    Kind(String prefix, String cameType, String wentType, String field) {
      this.prefix = prefix;
      this.cameType = cameType;
      this.wentType = wentType;
      this.field = field;
    }

    /** The key's text in the tables, e.g. {@code room:lobby}. */
    public String prefix() {
      return prefix;
    }

    /** The event of the first holder coming. */
    public String cameType() {
      return cameType;
    }

    /** The event of the last holder going. */
    public String wentType() {
      return wentType;
    }

    /** The name of the member of the event's data, {@code {"room": ...}} or {@code {"user": ...}}. */
    public String field() {
      return field;
    }
  }

  /** A room or a user. */
  record Key(Kind kind, String name) implements Comparable<Key> {
    public Key {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
    }

    public static Key room(String name) {
      return new Key(Kind.ROOM, name);
    }

    public static Key user(String name) {
      return new Key(Kind.USER, name);
    }

    /** The key's text in the tables. */
    public String text() {
      return kind.prefix() + name;
    }

    @Override
    public int compareTo(Key other) {
      return text().compareTo(other.text());
    }
  }

  /**
   * A change of this node's presence.
   *
   * @param present whether the node now has the key (a first member or session here) or not
   * @param at when it happened: the event's {@code ts}
   */
  record Change(Key key, boolean present, Instant at) {
    public Change {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(at, "at");
    }
  }

  /** An event the ledger wrote to the outbox. */
  record Written(String type, Key key) {}

  /**
   * The outcome of {@link #apply}.
   *
   * @param written the events written, in order
   * @param leaseLost true if the node had no lease (it was taken for dead and its holdings
   *     removed, or it is new): its holdings may be missing, {@link #reconcile} it
   */
  record Applied(List<Written> written, boolean leaseLost) {}

  /**
   * Applies {@code node}'s changes in their order, in one transaction, writing an event for each
   * cluster-wide transition, and renews its lease.
   *
   * @throws StoreException if the database fails; nothing was applied
   */
  Applied apply(String node, List<Change> changes);

  /**
   * Makes {@code node} hold exactly {@code present}: adds the keys it lacks and removes the others
   * (events as in {@link #apply}, stamped {@code at}), and renews its lease. A start runs it with
   * what the node has (often nothing: a restarted node clears what its previous run left).
   *
   * @throws StoreException if the database fails
   */
  List<Written> reconcile(String node, Set<Key> present, Instant at);

  /**
   * Renews {@code node}'s lease; false if it had none (taken for dead meanwhile): then {@link
   * #reconcile} it.
   */
  boolean renew(String node);

  /**
   * Removes every node but {@code self} whose lease is older than {@code lease} by the database's
   * clock, with its holdings, as if its members and sessions had all left at {@code at}.
   *
   * @return the events written
   * @throws StoreException if the database fails
   */
  List<Written> removeSilent(String self, Duration lease, Instant at);

  /**
   * Removes {@code node}'s holdings and lease: a clean stop.
   *
   * @throws StoreException if the database fails
   */
  List<Written> leave(String node, Instant at);
}
