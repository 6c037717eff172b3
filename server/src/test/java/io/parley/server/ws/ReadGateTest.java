package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read gate demands exactly once per frame let through, and pauses on pending calls or unwritten bytes. */
class ReadGateTest {
  private final AtomicInteger demands = new AtomicInteger();
  private final List<Transport.Completion> writes = new ArrayList<>();
  private final Outbound outbound = new Outbound(new Transport() {
    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      writes.add(done);
    }

    @Override
    public void close(int code, String reason) {}
  }, Long.MAX_VALUE);
  private final ReadGate gate = new ReadGate(demands::incrementAndGet, outbound);

  @Test
  void demandsTheNextFrameWhileOpen() {
    gate.next();
    assertThat(demands).hasValue(1);
    assertThat(gate.isPaused()).isFalse();
  }

  @Test
  void pausesWithTooManyCallsPendingAndResumesOnceWhenOneIsAnswered() {
    for (int i = 0; i < ReadGate.MAX_PENDING; i++) {
      gate.callStarted();
    }
    gate.next();
    assertThat(demands).hasValue(0);
    assertThat(gate.isPaused()).isTrue();
    gate.callAnswered();
    gate.resume();
    assertThat(demands).as("one frame let through, one demand").hasValue(1);
  }

  @Test
  void pausesWhileRepliesAreBackedUpAndResumesWhenTheyAreWritten() {
    outbound.reply(TextFrame.of("x".repeat((int) Outbound.BACKED_UP_BYTES)));
    gate.next();
    assertThat(demands).hasValue(0);
    outbound.onDrained(gate::resume);
    writes.get(0).sent();
    assertThat(demands).hasValue(1);
    assertThat(outbound.unwritten()).isZero();
  }
}
