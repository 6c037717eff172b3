package io.parley.client.internal;

import com.google.gson.JsonNull;
import io.parley.client.ConnectionClosedException;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.protocol.Methods;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.JoinParams;
import io.parley.protocol.types.RoomParams;
import java.util.concurrent.CompletableFuture;

/**
 * Joining and leaving, with the room registry kept in step: a room is tracked from the moment
 * {@code join} is called (so a join cut off by a drop is simply sent again) and forgotten the
 * moment {@code leave} is called (so a reconnect never rejoins it). Core thread.
 */
final class Membership {
  private final Connector connector;
  private final Rooms rooms;
  private final Events events;
  private final ParleyClient client;
  private final int streamBuffer;

  Membership(Connector connector, Rooms rooms, Events events, ParleyClient client, int streamBuffer) {
    this.connector = connector;
    this.rooms = rooms;
    this.events = events;
    this.client = client;
    this.streamBuffer = streamBuffer;
  }

  /** The room's handle once joined; joining a tracked room again returns the same handle. */
  CompletableFuture<JoinedRoom> join(String name, Long since, Long sinceRev) {
    RoomState existing = rooms.get(name);
    if (existing != null) {
      return existing.joinedFuture();
    }
    RoomState room = new RoomState(name, since, sinceRev, client, events, streamBuffer);
    rooms.add(room);
    Call call = Call.user(Methods.JOIN.name(), Methods.JOIN.writeParams(new JoinParams(name, since, sinceRev)), true);
    call.result.whenComplete((json, failure) -> {
      if (rooms.get(name) != room) {
        room.fail(new IllegalStateException("room " + name + " was left before the join was answered"));
      } else if (failure != null) {
        rooms.remove(room);
        room.fail(failure);
      } else {
        try {
          room.onJoined(Methods.JOIN.readResult(json), connector.paging());
        } catch (RpcException e) {
          rooms.remove(room);
          room.fail(Failures.toPublic(e));
        }
      }
    });
    connector.submit(call);
    return room.joinedFuture();
  }

  /**
   * Leaves: the room's streams complete at once. A leave the connection cut off counts as done,
   * since the server forgets a closed session's rooms and the client will not rejoin this one.
   */
  Call leave(String name) {
    RoomState room = rooms.remove(name);
    Call call = Call.user(Methods.LEAVE.name(), Methods.LEAVE.writeParams(new RoomParams(name)), false);
    if (room == null) {
      connector.submit(call);
      return call;
    }
    room.end();
    if (!connector.isReady()) {
      call.result.complete(JsonNull.INSTANCE);
      return call;
    }
    Call sent = Call.user(call.method, call.params, false);
    sent.result.whenComplete((json, failure) -> {
      if (failure == null || failure instanceof ConnectionClosedException) {
        call.result.complete(json == null ? JsonNull.INSTANCE : json);
      } else {
        call.result.completeExceptionally(failure);
      }
    });
    connector.submit(sent);
    return call;
  }
}
