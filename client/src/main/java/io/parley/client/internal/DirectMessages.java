package io.parley.client.internal;

import com.google.gson.JsonElement;
import io.parley.client.ConnectionClosedException;
import io.parley.protocol.Methods;
import io.parley.protocol.RpcException;
import io.parley.protocol.RpcMethod;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.ChangesParams;
import io.parley.protocol.types.Conversation;
import io.parley.protocol.types.DmListParams;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.RoomParams;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct messages and their changes (contract 1.1) outside any joined room: each {@code seq} and
 * each {@code rev} of a conversation once and in order, also across reconnects.
 *
 * <p>The first session's {@code dm.list} notes where each conversation stands: its last seq, and
 * its rev from {@code room.info} (the contract's {@code dm.list} has no rev). After a reconnect
 * {@code dm.list} names the conversations; for each, {@code chat.history} {@code after} the last
 * seq seen fills in the messages (a conversation begun while away: all of it), then {@code
 * chat.changes} {@code after} the last rev seen (or noted) fills in the changes. From the hello
 * until then the conversation's live messages and changes are held and delivered after the pages,
 * so a live one never makes the pages' older ones look like duplicates. A conversation the app joined as a room
 * is that room's business.
 *
 * <p>Known limit: a change stored just before the first {@code room.info} read the rev, whose
 * notification had not arrived yet when the connection dropped, is not recovered (a window of one
 * round trip at the client's start).
 *
 * <p>Core thread only.
 */
final class DirectMessages {
  private static final Logger LOG = LoggerFactory.getLogger(DirectMessages.class);
  /** The most conversations one dm.list gives, and the history and changes page size. */
  private static final int PAGE = 500;
  /** The error of a server before contract 1.1: no dm.list. */
  private static final int NOT_FOUND = -32601;

  interface Sender {
    Call sendInternal(String method, JsonElement params);
  }

  /** Where one conversation stands. */
  private static final class Place {
    /** The last seq delivered, 0 before any. */
    long lastSeq;
    /** The last rev delivered, 0 before any. */
    long seenRev;
    /** The rev the conversation had when this client first saw it, or null while unknown. */
    Long baseRev;
    /** True while a reconnect's pages are being fetched: live items wait in {@code held*}. */
    boolean recovering;
    final TreeMap<Long, Message> heldMessages = new TreeMap<>();
    final TreeMap<Long, Change> heldChanges = new TreeMap<>();
    /** Changes (and the ones after them, for rev order) waiting for the message they change. */
    final TreeMap<Long, Change> waiting = new TreeMap<>();

    long recoverChangesAfter() {
      return Math.max(seenRev, baseRev == null ? 0 : baseRev);
    }
  }

  private final Sender sender;
  private final Rooms rooms;
  private final EventStream<Message> stream;
  private final EventStream<Change> changes;
  private final Map<String, Place> places = new HashMap<>();
  private boolean known;
  /** True after a reconnect until dm.list answers: conversations first seen meanwhile hold too. */
  private boolean listing;
  private int session;

  DirectMessages(Sender sender, Rooms rooms, EventStream<Message> stream, EventStream<Change> changes) {
    this.sender = sender;
    this.rooms = rooms;
    this.stream = stream;
    this.changes = changes;
  }

  EventStream<Message> stream() {
    return stream;
  }

  EventStream<Change> changes() {
    return changes;
  }

  /** A {@code chat.message} of a room this client has not joined, carrying {@code to}. */
  void accept(Message message) {
    Place place = places.get(message.room());
    if (place == null) {
      place = new Place();
      place.recovering = listing;
      places.put(message.room(), place);
      if (message.seq() == 1) {
        place.baseRev = 0L; // a conversation that begins now: every change of it is still to come
      } else {
        baseline(message.room(), place);
      }
    }
    if (place.recovering) {
      place.heldMessages.putIfAbsent(message.seq(), message);
    } else {
      deliver(place, message);
    }
  }

  /** A {@code chat.change} of a room this client has not joined (a direct conversation). */
  void acceptChange(Change change) {
    Place place = places.get(change.room());
    if (place == null) {
      place = new Place();
      place.recovering = listing;
      places.put(change.room(), place);
    }
    if (place.recovering) {
      place.heldChanges.putIfAbsent(change.rev(), change);
    } else {
      deliver(place, change);
    }
  }

  private void deliver(Place place, Message message) {
    if (message.seq() > place.lastSeq) {
      place.lastSeq = message.seq();
      stream.publish(message);
      release(place);
    }
  }

  /**
   * A change goes out after the message it changes: the server may send a direct change before
   * that message's notification (seen on a single node), so it waits, and the changes after it
   * wait behind it, until the message is delivered (the next reconnect clears them and its pages
   * fetch them again, after the messages). A conversation whose messages this client has not seen
   * (last seq 0) has nothing to wait for.
   */
  private void deliver(Place place, Change change) {
    if (change.rev() <= place.seenRev) {
      return;
    }
    if (!place.waiting.isEmpty() || (place.lastSeq > 0 && change.seq() > place.lastSeq)) {
      place.waiting.putIfAbsent(change.rev(), change);
      return;
    }
    place.seenRev = change.rev();
    changes.publish(change);
  }

  private void release(Place place) {
    while (!place.waiting.isEmpty() && place.waiting.firstEntry().getValue().seq() <= place.lastSeq) {
      Change next = place.waiting.pollFirstEntry().getValue();
      if (next.rev() > place.seenRev) {
        place.seenRev = next.rev();
        changes.publish(next);
      }
    }
  }

  /**
   * A new connection is open, before its hello: after a reconnect every conversation holds its
   * live messages and changes from this moment until its pages are in, so that nothing arriving
   * before {@code dm.list} answers (the rejoins of rooms come first) overtakes what is still to be
   * fetched.
   */
  void connecting() {
    ++session;
    listing = known;
    for (Place place : places.values()) {
      // what the last connection held is fetched again by this one's pages
      place.heldMessages.clear();
      place.heldChanges.clear();
      place.waiting.clear();
      place.recovering = listing;
    }
  }

  /** The session is ready: note where conversations stand, or catch up with what came meanwhile. */
  void sessionOpened(String user) {
    int current = session;
    sender.sendInternal(Methods.DM_LIST.name(), Methods.DM_LIST.writeParams(new DmListParams(PAGE))).result
        .whenComplete((json, failure) -> {
          if (current != session) {
            return;
          }
          if (failure != null) {
            LOG.debug("dm.list failed (a server before 1.1 has none: {}): {}", NOT_FOUND, failure.toString());
            if (!(failure instanceof ConnectionClosedException)) {
              finishAll();
            }
            return;
          }
          try {
            Set<String> listed = new HashSet<>();
            for (Conversation c : Methods.DM_LIST.readResult(json).conversations()) {
              if (rooms.get(c.room()) != null) {
                continue;
              }
              Place place = places.computeIfAbsent(c.room(), room -> new Place());
              if (!known) {
                place.lastSeq = Math.max(place.lastSeq, c.seq());
                if (place.baseRev == null) {
                  baseline(c.room(), place);
                }
              } else {
                listed.add(c.room());
                place.recovering = true;
                catchUp(place, c, user, current);
              }
            }
            known = true;
            listing = false;
            places.forEach((room, place) -> {
              if (place.recovering && !listed.contains(room)) {
                finish(place); // not among the listed conversations: nothing to page
              }
            });
          } catch (RpcException e) {
            LOG.warn("dm.list answer does not fit the contract: {}", e.getMessage());
            finishAll();
          }
        });
  }

  private void finishAll() {
    listing = false;
    places.values().stream().filter(place -> place.recovering).forEach(this::finish);
  }

  /** Notes the conversation's rev now, where a later recovery of its changes starts. */
  private void baseline(String room, Place place) {
    sender.sendInternal(Methods.INFO.name(), Methods.INFO.writeParams(new RoomParams(room))).result
        .whenComplete((json, failure) -> {
          if (failure == null && place.baseRev == null) {
            try {
              place.baseRev = Methods.INFO.readResult(json).rev();
            } catch (RpcException e) {
              LOG.warn("room.info answer does not fit the contract: {}", e.getMessage());
            }
          }
        });
  }

  /** The messages after the last seq seen, page by page; then the changes. */
  private void catchUp(Place place, Conversation c, String user, int current) {
    if (c.seq() <= place.lastSeq) {
      catchUpChanges(place, c.room(), current);
      return;
    }
    HistoryParams page = new HistoryParams(c.room(), null, place.lastSeq, PAGE);
    askForPage(place, current, Methods.HISTORY, page, result -> {
      List<Message> messages = result.messages();
      for (Message m : messages) {
        deliver(place, m.to() != null ? m : m.withTo(m.from().equals(c.with()) ? user : c.with()));
      }
      if (!messages.isEmpty() && place.lastSeq < c.seq()) {
        catchUp(place, c, user, current);
      } else {
        catchUpChanges(place, c.room(), current);
      }
    });
  }

  /** The changes after the last rev seen (or the conversation's rev when first seen), page by page. */
  private void catchUpChanges(Place place, String room, int current) {
    catchUpChanges(place, room, current, place.recoverChangesAfter());
  }

  private void catchUpChanges(Place place, String room, int current, long after) {
    askForPage(place, current, Methods.CHANGES, new ChangesParams(room, after, PAGE), result -> {
      result.changes().forEach(change -> deliver(place, change));
      boolean more = !result.changes().isEmpty() && (result.truncated() || result.changes().size() == PAGE);
      if (more) {
        catchUpChanges(place, room, current, result.changes().get(result.changes().size() - 1).rev());
      } else {
        finish(place);
      }
    });
  }

  /**
   * Asks for one page of a conversation's catch-up; its answer goes to {@code then} unless the
   * session changed meanwhile (the next session fetches again), a failure or an error answer stops
   * the catch-up.
   */
  private <P, R> void askForPage(Place place, int current, RpcMethod<P, R> method, P params, Consumer<R> then) {
    sender.sendInternal(method.name(), method.writeParams(params)).result.whenComplete((json, failure) -> {
      if (current != session) {
        return;
      }
      if (failure != null) {
        stop(place, failure);
        return;
      }
      try {
        then.accept(method.readResult(json));
      } catch (RpcException e) {
        stop(place, e);
      }
    });
  }

  /** The pages are in: what arrived live meanwhile follows them. */
  private void finish(Place place) {
    place.recovering = false;
    place.heldMessages.values().forEach(m -> deliver(place, m));
    place.heldChanges.values().forEach(c -> deliver(place, c));
    place.heldMessages.clear();
    place.heldChanges.clear();
  }

  /**
   * A page failed. With the connection gone, the next session's pages fetch again what was held;
   * an error answer ends the catch-up, and what was held is delivered rather than lost.
   */
  private void stop(Place place, Throwable failure) {
    if (failure instanceof ConnectionClosedException) {
      place.recovering = false;
      place.heldMessages.clear();
      place.heldChanges.clear();
      return;
    }
    LOG.warn("catching up a direct conversation failed: {}", failure.toString());
    finish(place);
  }

  void complete() {
    stream.complete();
    changes.complete();
  }

  void fail(Throwable cause) {
    stream.fail(cause);
    changes.fail(cause);
  }
}
