package io.parley.sql;

import java.util.List;

/**
 * The durable store of chat messages, numbered per room.
 *
 * <p>Why an interface: the server depends on this contract only, so it can be tested against an
 * embedded H2 database and run against PostgreSQL without knowing which is behind it. Obtain
 * one from {@link Stores#open}.
 *
 * <p>Numbering: in each room, {@code seq} starts at 1 and grows by exactly 1 for every stored
 * message; a seq is never reused and never skipped, also when several threads or several server
 * processes append to the same room at once.
 *
 * <p>Threading: implementations are safe for use by many threads at once. Every method blocks
 * on the database, so call them from a worker thread, never from an I/O thread.
 *
 * <p>Failure: every method but {@link #isHealthy()}, {@link #description()} and {@link #close()}
 * throws {@link StoreException} when the database fails, and {@link IllegalArgumentException}
 * for arguments outside its documented range.
 */
public interface MessageStore extends AutoCloseable {

  /**
   * Rooms whose name starts with this are direct conversations (contract 1.1): {@link #append}
   * keeps their {@link #conversations} entries up to date in the same transaction.
   */
  String DIRECT_ROOM_PREFIX = "dm.";

  /**
   * Appends all messages of the batch in one transaction (group commit), in list order.
   *
   * <p>Messages of the same room get consecutive seqs in list order. A message whose (room,
   * sender, clientId) already exists, in the database or earlier in the same batch, stores
   * nothing and returns the message stored first, with {@code duplicate} set. Rooms are created
   * on their first message. All messages of one batch get the same timestamp.
   *
   * @return one {@link Appended} per input, in the same order
   * @throws StoreException if the database fails; then nothing of the batch is stored
   */
  List<Appended> append(List<NewMessage> batch);

  /**
   * Returns one page of a room's history, ascending by seq, at most {@code limit} messages and
   * at most about {@code maxBytes} (counted as in {@link #since}), but always at least one if any
   * exists in the bounds.
   *
   * <ul>
   *   <li>only {@code before}: the newest {@code limit} messages with seq below it;
   *   <li>only {@code after}: the oldest {@code limit} messages with seq above it;
   *   <li>both: the oldest {@code limit} messages with seq strictly between them;
   *   <li>neither: the newest {@code limit} messages.
   * </ul>
   *
   * <p>When the byte budget cuts a page, it keeps the end the page is anchored at and drops the
   * far end: a newest-first page (no {@code after}) keeps its newest messages and loses older
   * ones, so the caller pages on with {@code before} = the page's first seq; an {@code after}
   * page keeps its oldest messages, so the caller pages on with {@code after} = its last seq.
   *
   * @param before exclusive upper bound, or {@code null}
   * @param after exclusive lower bound, or {@code null}
   * @param limit at least 1
   * @param maxBytes at least 1
   */
  HistoryPage history(String room, Long before, Long after, int limit, long maxBytes);

  /** The same page with no byte budget: at most {@code limit} messages, whatever their size. */
  default List<StoredMessage> history(String room, Long before, Long after, int limit) {
    return history(room, before, after, limit, Long.MAX_VALUE).messages();
  }

  /**
   * Returns what a client missed: messages with seq above {@code since}, ascending, at most
   * {@code maxCount} of them and at most about {@code maxBytes}, but always at least one if any
   * exists. A message counts as the UTF-8 length of its room, sender, text and client id plus
   * a fixed allowance for the JSON around them.
   *
   * @param maxCount at least 1
   * @param maxBytes at least 1
   */
  Recovery since(String room, long since, int maxCount, long maxBytes);

  /** Returns the room's last seq, 0 if the room has no message. */
  long lastSeq(String room);

  /**
   * The message {@code sender} stored in {@code room} under {@code clientId}, if any: what a send
   * repeating that clientId is answered with. One probe of the idempotency index.
   */
  java.util.Optional<StoredMessage> byClientId(String room, String sender, String clientId);

  /**
   * Applies a change to one message (contract 1.1) in one transaction: checks the rules of the
   * request against the message's current state, stores the change under the room's next rev
   * (gap-free per room, also across processes: it takes the room's row lock like an append),
   * updates the message's state, and writes a {@code message.changed} outbox row when the store
   * has a webhook outbox. A deletion empties the text (and the texts of the message's earlier
   * edits in the change log) and drops its reactions. Nothing is stored unless the outcome is
   * {@link ChangeOutcome.Status#CHANGED}.
   */
  ChangeOutcome change(ChangeRequest request);

  /**
   * Returns the room's changes with {@code after < rev <= upTo}, ascending, at most {@code limit}
   * and at most about {@code maxBytes} of JSON, but at least one if any exists in the bounds.
   *
   * @param upTo inclusive upper bound ({@link Long#MAX_VALUE}: none)
   */
  ChangePage changes(String room, long after, long upTo, int limit, long maxBytes);

  /** Returns the room's last rev, 0 if none of its messages was ever changed. */
  long lastRev(String room);

  /** The room's last seq and rev and the user's read position, in one query (all 0 for an unknown room). */
  RoomState roomState(String room, String user);

  /**
   * Marks {@code room} read up to {@code seq} for {@code user} (contract 1.1 {@code room.read}):
   * the position only moves forward, and a {@code seq} above the room's last seq stores nothing
   * (the result's {@code lastSeq} says so).
   */
  ReadMark markRead(String room, String user, long seq);

  /** The user's read position in the room, 0 if none. */
  long readPosition(String room, String user);

  /**
   * Records {@code room} (named {@link #DIRECT_ROOM_PREFIX}...) as the direct conversation of
   * the two users; a repeat changes nothing. Call it before the conversation's first append.
   */
  void openConversation(String room, String first, String second);

  /** The two participants of a direct conversation, sorted; empty if {@code room} is none. */
  List<String> participants(String room);

  /**
   * The user's direct conversations that hold at least one message, most recently written first
   * (by the time of the last append; ties by room name), at most {@code limit} (at least 1).
   */
  List<Conversation> conversations(String user, int limit);

  /**
   * Returns true if the database answers a trivial query within about half a second; false if it
   * does not, or if this store is closed. Never throws.
   */
  boolean isHealthy();

  /**
   * Describes the database for a log line, e.g. {@code PostgreSQL
   * jdbc:postgresql://127.0.0.1:5432/test (schema parley)} or {@code embedded H2 at
   * /var/lib/parley}. Never contains a password.
   */
  String description();

  /** Closes the connection pool. Idempotent; later calls to other methods fail. */
  @Override
  void close();

  /**
   * The webhook outbox the appends of this store write to, if it was opened by {@link
   * Stores#openWithWebhookOutbox}; empty otherwise.
   */
  default java.util.Optional<WebhookOutbox> webhookOutbox() {
    return java.util.Optional.empty();
  }

  /**
   * The cluster-wide presence whose transitions write webhook events into {@link #webhookOutbox()},
   * if the store was opened by {@link Stores#openWithWebhookOutbox}; empty otherwise.
   */
  default java.util.Optional<PresenceLedger> presenceLedger() {
    return java.util.Optional.empty();
  }
}
