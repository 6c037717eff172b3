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

  @Test
  void changesAreHeldWithTheMessagesAndThoseTheJoinCoveredAreDropped() {
    ClientSession session = new ClientSession("s", "alice", transport, 1_000);
    RoomFeed member = session.joinFeed();
    member.messages(new long[] {4}, new TextFrame[] {TextFrame.of("m4")}, WriteBatch.NONE);
    member.changes(new long[] {6, 7}, new TextFrame[] {TextFrame.of("c6"), TextFrame.of("c7")}, WriteBatch.NONE);
    member.event(TextFrame.of("joined"));
    member.messages(new long[] {5}, new TextFrame[] {TextFrame.of("m5")}, WriteBatch.NONE);
    member.changes(new long[] {8}, new TextFrame[] {TextFrame.of("c8")}, WriteBatch.NONE);
    assertThat(sent).as("nothing while the join reads").isEmpty();
    member.goLive(4, 6);
    assertThat(sent).as("in the order they came, past what the join covered").containsExactly("c7", "joined", "m5", "c8");
    member.changes(new long[] {6, 9}, new TextFrame[] {TextFrame.of("c6 late"), TextFrame.of("c9")}, WriteBatch.NONE);
    member.messages(new long[] {3, 6}, new TextFrame[] {TextFrame.of("m3 late"), TextFrame.of("m6")}, WriteBatch.NONE);
    assertThat(sent).as("a late change or message the join covered is not shown twice")
        .endsWith("c9", "m6").doesNotContain("c6 late", "m3 late");
  }
}
