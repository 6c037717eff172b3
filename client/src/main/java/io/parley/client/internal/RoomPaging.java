package io.parley.client.internal;

import com.google.gson.JsonElement;
import io.parley.protocol.Methods;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.ChangesParams;
import io.parley.protocol.types.HistoryParams;
import java.util.function.BiFunction;

/**
 * Fills a room's gaps: {@code chat.history} with {@code after} = the last delivered seq and the
 * largest page, and {@code chat.changes} likewise by rev, as many times as the {@link RoomState}
 * asks (it asks again while a gap is there). A page the server's byte cap cut ({@code truncated}) ends early; the next one starts
 * after its last message, so the gap still closes. A page that fails leaves the gap to the next
 * message or the next recovery. Core thread.
 */
final class RoomPaging implements RoomState.HistoryPager {
  private final BiFunction<String, JsonElement, Call> send;
  private final Rooms rooms;

  RoomPaging(BiFunction<String, JsonElement, Call> send, Rooms rooms) {
    this.send = send;
    this.rooms = rooms;
  }

  @Override
  public void fetchChangesAfter(RoomState room, long after) {
    ChangesParams params = new ChangesParams(room.name(), after, HistoryParams.MAX_LIMIT);
    send.apply(Methods.CHANGES.name(), Methods.CHANGES.writeParams(params)).result.whenComplete((json, failure) -> {
      if (rooms.get(room.name()) != room) {
        return;
      }
      if (failure != null) {
        room.onChangesPageFailed();
        return;
      }
      try {
        room.onChangesPage(Methods.CHANGES.readResult(json).changes(), this);
      } catch (RpcException e) {
        room.onChangesPageFailed();
      }
    });
  }

  @Override
  public void fetchAfter(RoomState room, long after) {
    HistoryParams params = new HistoryParams(room.name(), null, after, HistoryParams.MAX_LIMIT);
    send.apply(Methods.HISTORY.name(), Methods.HISTORY.writeParams(params)).result.whenComplete((json, failure) -> {
      if (rooms.get(room.name()) != room) {
        return;
      }
      if (failure != null) {
        room.onPageFailed();
        return;
      }
      try {
        room.onPage(Methods.HISTORY.readResult(json).messages(), this);
      } catch (RpcException e) {
        room.onPageFailed();
      }
    });
  }
}
