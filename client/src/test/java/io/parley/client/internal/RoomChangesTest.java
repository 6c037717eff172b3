package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.JoinResult;
import io.parley.protocol.types.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rev bookkeeping of one room (contract 1.1): changes once and in rev order, never before
 * their message, recoveries paged, the window of current states right. No socket.
 */
@Timeout(10)
class RoomChangesTest {
  private static final String TS = "2026-01-01T00:00:00.000Z";

  private final List<Long> messages = new ArrayList<>();
  private final List<Long> revs = new ArrayList<>();
  private final List<Long> historyFetches = new ArrayList<>();
  private final List<Long> changeFetches = new ArrayList<>();
  private final RoomState.HistoryPager pager = new RoomState.HistoryPager() {
    @Override
    public void fetchAfter(RoomState room, long after) {
      historyFetches.add(after);
    }

    @Override
    public void fetchChangesAfter(RoomState room, long after) {
      changeFetches.add(after);
    }
  };

  private RoomState room(Long since, Long sinceRev) {
    Events events = new Events(Runnable::run, new ReadGate(100, 10));
    RoomState room = new RoomState("r", since, sinceRev, null, events, 1000);
    room.onMessage(m -> messages.add(m.seq()));
    room.onChange(c -> revs.add(c.rev()));
    return room;
  }

  private static Message m(long seq) {
    return new Message("r", seq, "ann", "t" + seq, TS, null);
  }

  private static Change edit(long rev, long seq, String text) {
    return Change.edit("r", rev, seq, "ann", "2026-01-01T00:00:0" + rev + ".000Z", text);
  }

  private static Change react(long rev, long seq, String user, boolean on) {
    return Change.react("r", rev, seq, user, TS, "👍", on);
  }

  private static JoinResult joined(long seq, List<Message> missed, long rev, List<Change> changes, boolean truncated) {
    return new JoinResult("r", seq, List.of("ann"), missed, truncated, 0, rev, changes);
  }

  @Test
  void liveChangesComeOnceInRevOrderAndUpdateTheWindow() {
    RoomState room = room(null, null);
    room.onJoined(joined(0, List.of(), 0, null, false), pager);
    room.accept(m(1), pager);
    room.acceptChange(edit(1, 1, "fixed"), pager);
    room.acceptChange(edit(1, 1, "fixed"), pager);
    room.acceptChange(react(2, 1, "bob", true), pager);
    assertThat(revs).containsExactly(1L, 2L);
    assertThat(room.lastRev()).isEqualTo(2);
    Message now = room.message(1).orElseThrow();
    assertThat(now.text()).isEqualTo("fixed");
    assertThat(now.edited()).isEqualTo("2026-01-01T00:00:01.000Z");
    assertThat(now.reactions()).isEqualTo(Map.of("👍", List.of("bob")));
    assertThat(changeFetches).isEmpty();
  }

  @Test
  void aRecoveryAppliesTheJoinsChangesAndPagesTheRestBeforeLiveOnes() {
    RoomState room = room(null, null);
    room.onJoined(joined(1, List.of(), 0, null, false), pager);
    // reconnect: the rejoin says rev 5 but brings only 1..2 (truncated); 6 arrives live meanwhile
    room.onJoined(joined(2, List.of(m(2)), 5, List.of(edit(1, 2, "a"), edit(2, 2, "b")), true), pager);
    room.acceptChange(edit(6, 2, "f"), pager);
    assertThat(revs).containsExactly(1L, 2L);
    assertThat(changeFetches).containsExactly(2L);
    room.onChangesPage(List.of(edit(3, 2, "c"), react(4, 1, "bob", true), edit(5, 2, "e")), pager);
    assertThat(revs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(changeFetches).hasSize(1);
    assertThat(room.message(2).orElseThrow().text()).isEqualTo("f");
  }

  @Test
  void aChangeWaitsForItsMessage() {
    RoomState room = room(null, null);
    room.onJoined(joined(1, List.of(), 0, null, false), pager);
    room.acceptChange(edit(1, 3, "late"), pager); // message 3 not delivered yet: 2 and 3 are paged
    assertThat(revs).isEmpty();
    assertThat(historyFetches).containsExactly(1L);
    room.onPage(List.of(m(2), m(3)), pager);
    assertThat(messages).containsExactly(2L, 3L);
    assertThat(revs).containsExactly(1L);
    assertThat(room.message(3).orElseThrow().text()).isEqualTo("late");
  }

  @Test
  void aMissedMessageThatAlreadyShowsAChangeEndsTheSameWhenTheChangeComesAgain() {
    RoomState room = room(null, null);
    room.onJoined(joined(0, List.of(), 0, null, false), pager);
    Message shown = new Message("r", 1, "ann", "", TS, null, null, "2026-01-01T00:00:01.000Z", true, null);
    room.onJoined(joined(1, List.of(shown), 1, List.of(edit(1, 1, "")), false), pager);
    room.acceptChange(Change.delete("r", 2, 1, "ann", TS), pager);
    room.acceptChange(react(2, 1, "bob", true), pager);
    assertThat(revs).containsExactly(1L, 2L);
    assertThat(room.recent()).containsExactly(shown);
  }

  @Test
  void joiningSinceRevDeliversTheMissedChangesFirst() {
    RoomState room = room(0L, 1L);
    room.onJoined(joined(1, List.of(m(1)), 3, List.of(edit(2, 1, "x"), edit(3, 1, "y")), false), pager);
    room.acceptChange(edit(3, 1, "y"), pager);
    room.acceptChange(edit(4, 1, "z"), pager);
    assertThat(revs).containsExactly(2L, 3L, 4L);
    assertThat(room.lastRev()).isEqualTo(4);
  }

  @Test
  void aRevGapTheServerCannotFillIsSkippedRatherThanStalling() {
    RoomState room = room(null, null);
    room.onJoined(joined(1, List.of(), 0, null, false), pager);
    room.acceptChange(edit(1, 1, "a"), pager);
    room.acceptChange(edit(3, 1, "c"), pager);
    assertThat(changeFetches).containsExactly(1L);
    room.onChangesPage(List.of(), pager);
    assertThat(revs).containsExactly(1L, 3L);
  }
}
