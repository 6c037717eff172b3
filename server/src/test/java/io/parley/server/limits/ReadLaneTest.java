package io.parley.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A caller's lane: at most two reads at once, none while backed up, none once the caller has gone. */
class ReadLaneTest {
  private final AtomicBoolean backedUp = new AtomicBoolean();
  private final AtomicBoolean gone = new AtomicBoolean();
  private final ReadLane lane = new ReadLane(backedUp::get, gone::get);
  private final List<String> started = new ArrayList<>();
  private final List<String> dropped = new ArrayList<>();

  private ReadLane.Job job(String name) {
    return new ReadLane.Job() {
      @Override
      public void drop(String why) {
        dropped.add(name + ": " + why);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  private void add(String name) {
    lane.add(job(name), (l, j) -> started.add(j.toString()));
  }

  @Test
  void atMostTwoRunAtOnceInOrder() {
    add("a");
    add("b");
    add("c");
    assertThat(started).containsExactly("a", "b");
    assertThat(lane.waiting()).isEqualTo(1);
    lane.finished();
    assertThat(started).containsExactly("a", "b", "c");
  }

  @Test
  void nothingStartsWhileBackedUpAndTheLaneWakesWhenDrained() {
    backedUp.set(true);
    add("a");
    assertThat(started).isEmpty();
    lane.wake();
    assertThat(started).isEmpty();
    backedUp.set(false);
    lane.wake();
    assertThat(started).containsExactly("a");
  }

  @Test
  void whenTheCallerHasGoneWaitingJobsAreDroppedNotRun() {
    add("a");
    add("b");
    add("c");
    add("d");
    gone.set(true);
    lane.finished();
    assertThat(started).containsExactly("a", "b");
    assertThat(dropped).containsExactly("c: the client has gone", "d: the client has gone");
    assertThat(lane.waiting()).isZero();
  }
}
