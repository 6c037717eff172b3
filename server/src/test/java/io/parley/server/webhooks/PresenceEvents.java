package io.parley.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.webhooks.WebhookReceiver.Received;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the presence events (#18) a {@link WebhookReceiver} got: per room or user, the types in the
 * order they arrived, each event once by id (delivery is at least once). A key's events arrive in
 * order, so a test that makes one more transition of the same key as a marker and waits for it
 * knows that every earlier event of the key has arrived: that is how the tests show "exactly one"
 * without waiting for something not to happen.
 */
final class PresenceEvents {

  static final String OCCUPIED = "room.occupied";
  static final String VACATED = "room.vacated";
  static final String ONLINE = "user.online";
  static final String OFFLINE = "user.offline";

  /** Generous: the machine is shared, and a dead node is removed only after its lease. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private final WebhookReceiver receiver;

  PresenceEvents(WebhookReceiver receiver) {
    this.receiver = receiver;
  }

  /** The room's events so far, in order. */
  List<String> ofRoom(String room) {
    return of("room.", "room", room);
  }

  /** The user's events so far, in order. */
  List<String> ofUser(String user) {
    return of("user.", "user", user);
  }

  /** Every presence event so far, as "type name". */
  List<String> all() {
    List<String> out = new ArrayList<>();
    for (Received r : distinct()) {
      if (r.type().startsWith("room.")) {
        out.add(r.type() + " " + r.data().get("room").getAsString());
      } else if (r.type().startsWith("user.")) {
        out.add(r.type() + " " + r.data().get("user").getAsString());
      }
    }
    return out;
  }

  /** Waits until the room has had as many events as {@code expected}, then asserts they are those. */
  void awaitRoom(String room, String... expected) throws InterruptedException {
    assertThat(receiver.await(() -> ofRoom(room).size() >= expected.length, WAIT))
        .as("%d event(s) of room %s within %s; got %s", expected.length, room, WAIT, ofRoom(room)).isTrue();
    assertThat(ofRoom(room)).as("events of room %s", room).containsExactly(expected);
  }

  /** Waits until the user has had as many events as {@code expected}, then asserts they are those. */
  void awaitUser(String user, String... expected) throws InterruptedException {
    assertThat(receiver.await(() -> ofUser(user).size() >= expected.length, WAIT))
        .as("%d event(s) of user %s within %s; got %s", expected.length, user, WAIT, ofUser(user)).isTrue();
    assertThat(ofUser(user)).as("events of user %s", user).containsExactly(expected);
  }

  private List<String> of(String typePrefix, String field, String name) {
    List<String> out = new ArrayList<>();
    for (Received r : distinct()) {
      if (r.type().startsWith(typePrefix) && r.data().has(field) && name.equals(r.data().get(field).getAsString())) {
        assertThat(r.data().keySet()).as("data of %s", r.type()).containsExactly(field);
        out.add(r.type());
      }
    }
    return out;
  }

  private List<Received> distinct() {
    Set<String> ids = new HashSet<>();
    List<Received> out = new ArrayList<>();
    for (Received r : receiver.accepted()) {
      if (ids.add(r.id())) {
        out.add(r);
      }
    }
    return out;
  }
}
