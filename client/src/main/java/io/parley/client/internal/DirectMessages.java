package io.parley.client.internal;

import com.google.gson.JsonElement;
import io.parley.protocol.Methods;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.Conversation;
import io.parley.protocol.types.DmListParams;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct messages (contract 1.1) outside any joined room: each {@code seq} of a conversation once
 * and in order, also across reconnects. The first session's {@code dm.list} notes where each
 * conversation stands; after a reconnect {@code dm.list} says which moved, and {@code
 * chat.history} {@code after} the last seq seen fills them in (a conversation begun while away:
 * all of it). A conversation the app joined as a room is that room's business. Core thread.
 */
final class DirectMessages {
  private static final Logger LOG = LoggerFactory.getLogger(DirectMessages.class);
  /** The most conversations one dm.list gives, and the history page size. */
  private static final int PAGE = 500;
  /** The error of a server before contract 1.1: no dm.list. */
  private static final int NOT_FOUND = -32601;

  interface Sender {
    Call sendInternal(String method, JsonElement params);
  }

  private final Sender sender;
  private final Rooms rooms;
  private final EventStream<Message> stream;
  private final Map<String, Long> lastSeq = new HashMap<>();
  private boolean known;

  DirectMessages(Sender sender, Rooms rooms, EventStream<Message> stream) {
    this.sender = sender;
    this.rooms = rooms;
    this.stream = stream;
  }

  EventStream<Message> stream() {
    return stream;
  }

  /** A {@code chat.message} of a room this client has not joined, carrying {@code to}. */
  void accept(Message message) {
    Long last = lastSeq.get(message.room());
    if (last != null && message.seq() <= last) {
      return;
    }
    lastSeq.put(message.room(), message.seq());
    stream.publish(message);
  }

  /** A session said hello: note where conversations stand, or catch up with what came meanwhile. */
  void sessionOpened(String user) {
    sender.sendInternal(Methods.DM_LIST.name(), Methods.DM_LIST.writeParams(new DmListParams(PAGE))).result
        .whenComplete((json, failure) -> {
          if (failure != null) {
            LOG.debug("dm.list failed (a server before 1.1 has none: {}): {}", NOT_FOUND, failure.toString());
            return;
          }
          try {
            for (Conversation c : Methods.DM_LIST.readResult(json).conversations()) {
              if (!known) {
                lastSeq.putIfAbsent(c.room(), c.seq());
              } else {
                catchUp(c, user);
              }
            }
            known = true;
          } catch (RpcException e) {
            LOG.warn("dm.list answer does not fit the contract: {}", e.getMessage());
          }
        });
  }

  private void catchUp(Conversation c, String user) {
    long from = lastSeq.getOrDefault(c.room(), 0L);
    if (c.seq() <= from || rooms.get(c.room()) != null) {
      return;
    }
    HistoryParams page = new HistoryParams(c.room(), null, from, PAGE);
    sender.sendInternal(Methods.HISTORY.name(), Methods.HISTORY.writeParams(page)).result
        .whenComplete((json, failure) -> {
          if (failure != null) {
            return; // the next session catches up again
          }
          var messages = Methods.HISTORY.readResult(json).messages();
          for (Message m : messages) {
            accept(m.to() != null ? m : m.withTo(m.from().equals(c.with()) ? user : c.with()));
          }
          if (!messages.isEmpty() && lastSeq.getOrDefault(c.room(), 0L) < c.seq()) {
            catchUp(c, user);
          }
        });
  }

  void complete() {
    stream.complete();
  }

  void fail(Throwable cause) {
    stream.fail(cause);
  }
}
