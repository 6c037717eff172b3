package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import io.parley.server.hub.RoomChange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-room reordering: hold until the base is known, release in seq order, drop repeats. */
class RoomSequenceTest {
  private final List<Long> delivered = new ArrayList<>();
  private final RoomSequence<Message> sequence = RoomSequence.ofMessages(ms -> ms.forEach(m -> delivered.add(m.seq())));

  private static Message m(long seq) {
    return new Message("r", seq, "u", "t" + seq, "2026-11-23T10:00:00.000Z", null);
  }

  @Test
  void holdsEverythingUntilTheBaseIsKnown() {
    sequence.offer(m(6));
    sequence.offer(m(5));
    assertThat(delivered).isEmpty();
    sequence.base(4);
    assertThat(delivered).containsExactly(5L, 6L);
  }

  @Test
  void dropsWhatTheBaseAlreadyCovers() {
    sequence.offer(m(3));
    sequence.offer(m(5));
    sequence.base(4);
    assertThat(delivered).containsExactly(5L);
  }

  @Test
  void releasesInOrderOnceAGapCloses() {
    sequence.base(0);
    sequence.offer(m(1));
    sequence.offer(m(3));
    sequence.offer(m(4));
    assertThat(delivered).containsExactly(1L);
    assertThat(sequence.gapStart()).isEqualTo(2);
    sequence.offer(m(2));
    assertThat(delivered).containsExactly(1L, 2L, 3L, 4L);
    assertThat(sequence.gapStart()).isEqualTo(-1);
  }

  @Test
  void dropsDuplicates() {
    sequence.base(0);
    sequence.offer(m(1));
    sequence.offer(m(1));
    sequence.offer(m(2));
    sequence.offer(m(1));
    assertThat(delivered).containsExactly(1L, 2L);
    assertThat(sequence.heldCount()).isZero();
  }

  @Test
  void aLaterBaseDoesNotMoveBack() {
    sequence.base(10);
    sequence.base(3);
    sequence.offer(m(11));
    assertThat(delivered).containsExactly(11L);
  }

  private static RoomChange change(long rev, long seq) {
    return new RoomChange(Change.delete("r", rev, seq, "u", "2026-11-23T10:00:00.000Z"), null);
  }

  @Test
  void aChangeWaitsForItsMessageAndChangesKeepRevOrder() {
    List<String> order = new ArrayList<>();
    RoomSequence<Message> messages = RoomSequence.ofMessages(ms -> ms.forEach(m -> order.add("m" + m.seq())));
    RoomSequence<RoomChange> changes = RoomSequence.ofChanges(cs -> cs.forEach(c -> order.add("c" + c.rev())), messages);
    messages.base(2);
    changes.base(0);
    changes.offer(change(2, 1)); // ahead of rev 1: held
    changes.offer(change(1, 3)); // changes message 3, which has not come: held, and rev 2 behind it
    assertThat(order).isEmpty();
    assertThat(changes.gapStart()).as("waiting for a message is not a hole in the revs").isEqualTo(-1);
    messages.offer(m(3));
    assertThat(order).containsExactly("m3", "c1", "c2");
    changes.offer(change(3, 2)); // an old message: goes at once
    assertThat(order).endsWith("c3");
    changes.offer(change(2, 1));
    assertThat(order).as("a repeat is dropped").hasSize(4);
  }
}
