package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.types.JoinResult;
import io.parley.protocol.types.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seq bookkeeping of one room: duplicates dropped, gaps paged, never a stall. No socket. */
@Timeout(10)
class RoomStateTest {
  private final List<Long> delivered = new ArrayList<>();
  private final List<Long> fetches = new ArrayList<>();
  private final RoomState.HistoryPager pager = new RoomState.HistoryPager() {
    @Override
    public void fetchAfter(RoomState room, long after) {
      fetches.add(after);
    }

    @Override
    public void fetchChangesAfter(RoomState room, long after) {
      throw new AssertionError("no change paging expected, after " + after);
    }
  };

  private RoomState room(Long since) {
    Events events = new Events(Runnable::run, new ReadGate(100, 10));
    RoomState room = new RoomState("r", since, null, events, 1000);
    room.onMessage(m -> delivered.add(m.seq()));
    return room;
  }

  private static Message m(long seq) {
    return new Message("r", seq, "u", "t" + seq, "2026-01-01T00:00:00.000Z", null);
  }

  private static JoinResult joined(long seq, List<Message> missed, boolean truncated) {
    return new JoinResult("r", seq, List.of("u"), missed, truncated, 0);
  }

  @Test
  void duplicatesAndOldMessagesAreDropped() {
    RoomState room = room(null);
    room.onJoined(joined(3, List.of(), false), pager);
    room.accept(m(4), pager);
    room.accept(m(4), pager);
    room.accept(m(2), pager);
    room.accept(m(5), pager);
    room.onJoined(joined(5, List.of(m(4), m(5)), false), pager);
    assertThat(delivered).containsExactly(4L, 5L);
    assertThat(fetches).isEmpty();
    assertThat(room.lastSeq()).isEqualTo(5);
  }

  @Test
  void aTruncatedRecoveryIsPagedBeforeNewerMessages() {
    RoomState room = room(null);
    room.onJoined(joined(2, List.of(), false), pager);
    room.onJoined(joined(9, List.of(m(3), m(4)), true), pager);
    room.accept(m(10), pager);
    assertThat(delivered).containsExactly(3L, 4L);
    assertThat(fetches).containsExactly(4L);
    room.onPage(List.of(m(5), m(6), m(7)), pager);
    assertThat(fetches).containsExactly(4L, 7L);
    room.onPage(List.of(m(8), m(9), m(10)), pager);
    assertThat(delivered).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(fetches).hasSize(2);
  }

  @Test
  void aLiveGapIsFilledFromHistory() {
    RoomState room = room(null);
    room.onJoined(joined(0, List.of(), false), pager);
    room.accept(m(1), pager);
    room.accept(m(3), pager);
    assertThat(delivered).containsExactly(1L);
    assertThat(fetches).containsExactly(1L);
    room.accept(m(4), pager);
    assertThat(fetches).as("one page at a time").hasSize(1);
    room.onPage(List.of(m(2), m(3)), pager);
    assertThat(delivered).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void aGapHistoryCannotFillIsSkippedRatherThanStalling() {
    RoomState room = room(null);
    room.onJoined(joined(0, List.of(), false), pager);
    room.accept(m(1), pager);
    room.accept(m(3), pager);
    room.onPage(List.of(), pager);
    assertThat(delivered).containsExactly(1L, 3L);
  }

  @Test
  void joiningSinceDeliversTheMissedFirst() {
    RoomState room = room(5L);
    room.onJoined(joined(7, List.of(m(6), m(7)), false), pager);
    room.accept(m(8), pager);
    assertThat(delivered).containsExactly(6L, 7L, 8L);
  }
}
