package io.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.Message;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the CLI prints: readable lines, and nothing a terminal would act on. */
class LinesTest {
  private static final String TS = "2026-01-01T10:15:30.000Z";
  private final Lines lines = new Lines(ZoneOffset.UTC);

  @Test
  void controlCharactersAndBidiOverridesAreShownNotWritten() {
    String hostile = "hi\u001b[2J\u001b]0;owned\u0007\rX\nY\u202eevil\u009b";
    String shown = Lines.safe(hostile);
    assertThat(shown).doesNotContain("\u001b", "\u0007", "\r", "\n", "\u202e", "\u009b")
        .isEqualTo("hi\\u001b[2J\\u001b]0;owned\\u0007\\u000dX\\u000aY\\u202eevil\\u009b");
    assertThat(Lines.safe("héllo 👍 世界")).isEqualTo("héllo 👍 世界");
  }

  @Test
  void messagesShowTheirSeqStateAndReactionsSafely() {
    Message m = new Message("lobby", 42, "al\u001bice", "fixed", TS, null, null, TS, null,
        Map.of("👍", List.of("bob", "cy")));
    assertThat(lines.numbered(m)).isEqualTo("#42 [10:15:30] al\\u001bice: fixed (edited) (👍 2)");
    Message gone = new Message("lobby", 43, "ann", "", TS, null, null, null, true, null);
    assertThat(lines.numbered(gone)).isEqualTo("#43 [10:15:30] ann: (deleted)");
    assertThat(lines.direct(new Message("dm.x", 3, "ann", "psst", TS, null, "bob")))
        .isEqualTo("[dm] #3 [10:15:30] ann to bob: psst");
  }

  @Test
  void changesReadAsSentences() {
    assertThat(lines.change(Change.edit("r", 1, 42, "ann", TS, "new\ttext"), null, false))
        .isEqualTo("* #42 edited by ann: new\\u0009text");
    assertThat(lines.change(Change.delete("r", 2, 42, "ann", TS), null, true)).isEqualTo("[dm] * #42 deleted by ann");
    Message after = new Message("r", 42, "ann", "x", TS, null, null, null, null, Map.of("👍", List.of("bob")));
    assertThat(lines.change(Change.react("r", 3, 42, "bob", TS, "👍", true), after, false))
        .isEqualTo("* bob reacted 👍 to #42 (👍 1)");
    assertThat(lines.change(Change.react("r", 4, 42, "bob", TS, "👍", false), null, false))
        .isEqualTo("* bob took back 👍 from #42");
    assertThat(Lines.typing(List.of("ann", "b\u001bob"))).isEqualTo("* ann, b\\u001bob are typing…");
  }
}
