package io.parley.client.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.parley.client.RpcErrorException;
import io.parley.protocol.Methods;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.HelloResult;
import io.parley.protocol.types.JoinParams;
import io.parley.protocol.types.RoomParams;
import java.util.List;

/**
 * What a fresh connection does before the application's calls flow again: {@code session.hello}
 * (as the same user as before), then {@code room.join} with {@code since} = the last delivered seq
 * and {@code sinceRev} = the last delivered rev for every joined room. Each rejoin's {@code missed}
 * and {@code changes} go through the room's {@link RoomState}, which pages {@code chat.history} and
 * {@code chat.changes} if the recovery was truncated; the server holds the room's live messages and
 * changes until the join reply, so nothing is lost in between. One per connection; core thread.
 */
final class Recovery {
  /** The connector seen from here. */
  interface Host {
    Call sendInternal(String method, JsonElement params);

    /** False once the connection this recovery belongs to is gone. */
    boolean current(int generation);

    void ready(int generation, HelloResult hello);

    /** Hello or a rejoin failed for a reason other than the connection closing. */
    void broken(int generation, Throwable cause);
  }

  private final Host host;
  private final Rooms rooms;
  private final RoomState.HistoryPager pager;
  private final int generation;
  private int remaining;

  Recovery(Host host, Rooms rooms, RoomState.HistoryPager pager, int generation) {
    this.host = host;
    this.rooms = rooms;
    this.pager = pager;
    this.generation = generation;
  }

  void start(JsonObject helloParams) {
    host.sendInternal(Methods.HELLO.name(), helloParams).result.whenComplete((json, failure) -> {
      if (!host.current(generation)) {
        return;
      }
      if (failure != null) {
        host.broken(generation, failure);
        return;
      }
      HelloResult hello;
      try {
        hello = Methods.HELLO.readResult(json);
      } catch (RpcException e) {
        host.broken(generation, Failures.toPublic(e));
        return;
      }
      rejoin(hello);
    });
  }

  private void rejoin(HelloResult hello) {
    List<RoomState> joined = rooms.joined();
    remaining = joined.size();
    if (remaining == 0) {
      host.ready(generation, hello);
      return;
    }
    for (RoomState room : joined) {
      JoinParams params = new JoinParams(room.name(), room.lastSeq(), room.lastRev());
      host.sendInternal(Methods.JOIN.name(), Methods.JOIN.writeParams(params)).result
          .whenComplete((json, failure) -> onRejoined(room, hello, json, failure));
    }
  }

  private void onRejoined(RoomState room, HelloResult hello, JsonElement json, Throwable failure) {
    if (!host.current(generation)) {
      return;
    }
    if (failure instanceof RpcErrorException refused) {
      rooms.remove(room);
      room.fail(refused);
    } else if (failure != null) {
      host.broken(generation, failure);
      return;
    } else if (rooms.get(room.name()) != room) {
      host.sendInternal(Methods.LEAVE.name(), Methods.LEAVE.writeParams(new RoomParams(room.name())));
    } else {
      try {
        room.onJoined(Methods.JOIN.readResult(json), pager);
      } catch (RpcException e) {
        rooms.remove(room);
        room.fail(Failures.toPublic(e));
      }
    }
    if (--remaining == 0) {
      host.ready(generation, hello);
    }
  }
}
