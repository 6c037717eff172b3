package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Applying changes to a message: the server's state, however often a change is applied again. */
class MessageStateTest {
  private static final String TS = "2026-01-01T00:00:00.000Z";
  private static final Message PLAIN = new Message("r", 1, "ann", "hi", TS, "c1");

  private static Message applyAll(Message m, List<Change> changes) {
    for (Change c : changes) {
      m = MessageState.apply(m, c);
    }
    return m;
  }

  @Test
  void editSetsTextAndEdited() {
    Message edited = MessageState.apply(PLAIN, Change.edit("r", 1, 1, "ann", "2026-01-01T00:00:05.000Z", "hello"));
    assertThat(edited.text()).isEqualTo("hello");
    assertThat(edited.edited()).isEqualTo("2026-01-01T00:00:05.000Z");
    assertThat(edited.clientId()).isEqualTo("c1");
  }

  @Test
  void reactionsKeepTheOrderOfReactingAndReplayingARunChangesNothing() {
    List<Change> run = List.of(
        Change.react("r", 1, 1, "bob", TS, "👍", true),
        Change.react("r", 2, 1, "cy", TS, "👍", true),
        Change.react("r", 3, 1, "bob", TS, "👍", false),
        Change.react("r", 4, 1, "bob", TS, "👍", true),
        Change.react("r", 5, 1, "cy", TS, "❤️", true));
    Message once = applyAll(PLAIN, run);
    assertThat(once.reactions()).isEqualTo(Map.of("👍", List.of("cy", "bob"), "❤️", List.of("cy")));
    assertThat(applyAll(once, run)).isEqualTo(once);
    assertThat(applyAll(once, run.subList(2, 5))).isEqualTo(once);
  }

  @Test
  void deletionIsFinal() {
    Message deleted = applyAll(PLAIN, List.of(
        Change.react("r", 1, 1, "bob", TS, "👍", true),
        Change.delete("r", 2, 1, "ann", TS)));
    assertThat(deleted.isDeleted()).isTrue();
    assertThat(deleted.text()).isEmpty();
    assertThat(deleted.reactions()).isNull();
    assertThat(applyAll(deleted, List.of(Change.edit("r", 1, 1, "ann", TS, "again"),
        Change.react("r", 1, 1, "bob", TS, "👍", true)))).isEqualTo(deleted);
  }

  @Test
  void aChangeOfAnotherMessageOrOfAnUnknownKindChangesNothing() {
    assertThat(MessageState.apply(PLAIN, Change.edit("r", 1, 2, "ann", TS, "x"))).isSameAs(PLAIN);
    assertThat(MessageState.apply(PLAIN, Change.edit("other", 1, 1, "ann", TS, "x"))).isSameAs(PLAIN);
    assertThat(MessageState.apply(PLAIN, new Change("r", 1, 1, "pin", "ann", TS, null, null, null))).isSameAs(PLAIN);
  }
}
