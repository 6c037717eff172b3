package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Past the node's line, sessions that lag are held back and sessions that keep up are not. */
class NodeBacklogTest {
  private final NodeBacklog node = new NodeBacklog(200 * 1024);

  /** A transport that completes writes only when told. */
  private static final class Held implements Transport {
    final List<Completion> writes = new ArrayList<>();

    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      writes.add(done);
    }

    @Override
    public void close(int code, String reason) {}
  }

  private static TextFrame bytes(int n) {
    return TextFrame.of("x".repeat(n));
  }

  @Test
  void laggingSessionsAreHeldBackOnlyWhileTheNodeIsPastItsLine() {
    Held lagging = new Held();
    Held prompt = new Held();
    Outbound a = new Outbound(lagging, Long.MAX_VALUE, () -> { }, node);
    Outbound b = new Outbound(lagging, Long.MAX_VALUE, () -> { }, node);
    Outbound keepsUp = new Outbound(prompt, Long.MAX_VALUE, () -> { }, node);
    AtomicInteger drained = new AtomicInteger();
    a.onDrained(drained::incrementAndGet);

    a.reply(bytes(100 * 1024));
    keepsUp.reply(bytes(1024));
    assertThat(a.isBackedUp()).as("past the floor, but the node is below its line").isFalse();

    b.reply(bytes(120 * 1024));
    assertThat(node.unwritten()).isEqualTo(221 * 1024);
    assertThat(a.isBackedUp()).isTrue();
    assertThat(b.isBackedUp()).isTrue();
    assertThat(keepsUp.isBackedUp()).as("a session below the floor is never held back").isFalse();

    lagging.writes.get(0).sent(); // a's reply written: below the floor, so a wakes
    assertThat(drained).hasValue(1);
    assertThat(a.isBackedUp()).isFalse();
    assertThat(node.unwritten()).isEqualTo(121 * 1024);
    assertThat(b.isBackedUp()).as("the node is below its line again").isFalse();
  }
}
