package io.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The chat's commands as typed. */
class CommandTest {
  @Test
  void textsAndCommands() {
    assertThat(Command.parse("  hello world ")).isEqualTo(new Command.Send("hello world"));
    assertThat(Command.parse("//shrug")).isEqualTo(new Command.Send("/shrug"));
    assertThat(Command.parse("   ")).isEqualTo(new Command.Nothing());
    assertThat(Command.parse("/edit 42 new text here")).isEqualTo(new Command.Edit(42, "new text here"));
    assertThat(Command.parse("/edit #42 x")).isEqualTo(new Command.Edit(42, "x"));
    assertThat(Command.parse("/delete 7")).isEqualTo(new Command.Delete(7));
    assertThat(Command.parse("/react 7 👍")).isEqualTo(new Command.React(7, "👍"));
    assertThat(Command.parse("/dm bob see you at 5")).isEqualTo(new Command.Direct("bob", "see you at 5"));
    assertThat(Command.parse("/members")).isEqualTo(new Command.Members());
    assertThat(Command.parse("/quit")).isEqualTo(new Command.Quit());
    assertThat(Command.parse("/help")).isEqualTo(new Command.Help());
  }

  @Test
  void mistakesSayWhatIsExpected() {
    assertThat(Command.parse("/edit 42")).isEqualTo(new Command.Invalid("usage: /edit SEQ TEXT"));
    assertThat(Command.parse("/edit x y")).asString().contains("expected a message number");
    assertThat(Command.parse("/delete 0")).asString().contains("expected a message number");
    assertThat(Command.parse("/react 1 a b")).isEqualTo(new Command.Invalid("usage: /react SEQ EMOJI"));
    assertThat(Command.parse("/dm bob")).isEqualTo(new Command.Invalid("usage: /dm USER TEXT"));
    assertThat(Command.parse("/frob\u001b[2J")).asString().contains("unknown command /frob\\u001b[2J");
  }
}
