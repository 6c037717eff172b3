package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a joining member holds counts toward its notification limit: a join that waits cannot grow the heap. */
class SessionFeedTest {
  private final List<Integer> closes = new ArrayList<>();
  private final List<String> sent = new ArrayList<>();
  private final Transport transport = new Transport() {
    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      sent.add(java.nio.charset.StandardCharsets.UTF_8.decode(utf8).toString());
      done.sent();
    }

    @Override
    public void close(int code, String reason) {
      closes.add(code);
    }
  };

  @Test
  void heldMessagesPastTheLimitCloseTheSessionWith1013AndAreDropped() {
    ClientSession session = new ClientSession("s", "alice", transport, 1_000);
    RoomFeed member = session.joinFeed();
    TextFrame frame = TextFrame.of("x".repeat(100));
    for (int seq = 1; seq <= 30; seq++) {
      member.messages(new long[] {seq}, new TextFrame[] {frame}, WriteBatch.NONE);
    }
    assertThat(closes).containsExactly(CloseCodes.TRY_AGAIN_LATER);
    member.goLive(0);
    assertThat(sent).as("nothing held is released to a session given up on").isEmpty();
  }

  @Test
  void heldMessagesWithinTheLimitAreReleasedAfterTheJoin() {
    ClientSession session = new ClientSession("s", "alice", transport, 1_000);
    RoomFeed member = session.joinFeed();
    for (int seq = 1; seq <= 5; seq++) {
      member.messages(new long[] {seq}, new TextFrame[] {TextFrame.of("m" + seq)}, WriteBatch.NONE);
    }
    member.goLive(2);
    assertThat(sent).containsExactly("m3", "m4", "m5");
    assertThat(closes).isEmpty();
  }
}
