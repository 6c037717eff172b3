package io.parley.cli;

/**
 * One line typed in the chat, parsed: a text to send or a command. {@code //text} sends {@code
 * /text}, so a message may start with a slash.
 */
sealed interface Command {
  String HELP = String.join("\n",
      "* commands:",
      "*   TEXT                send TEXT to the room (//TEXT sends /TEXT)",
      "*   /edit SEQ TEXT      replace the text of your message #SEQ",
      "*   /delete SEQ         delete your message #SEQ",
      "*   /react SEQ EMOJI    add EMOJI to message #SEQ, or take yours back if it is there (a toggle)",
      "*   /dm USER TEXT       send TEXT to USER directly",
      "*   /members            list the room's members",
      "*   /help               this list",
      "*   /quit               leave (so does end of input)");

  record Send(String text) implements Command {}

  record Edit(long seq, String text) implements Command {}

  record Delete(long seq) implements Command {}

  record React(long seq, String emoji) implements Command {}

  record Direct(String to, String text) implements Command {}

  record Members() implements Command {}

  record Help() implements Command {}

  record Quit() implements Command {}

  /** Nothing to do (a blank line). */
  record Nothing() implements Command {}

  /** A line that is not a valid command: {@code message} says why. */
  record Invalid(String message) implements Command {}

  static Command parse(String line) {
    String text = line.strip();
    if (text.isEmpty()) {
      return new Nothing();
    }
    if (text.startsWith("//")) {
      return new Send(text.substring(1));
    }
    if (!text.startsWith("/")) {
      return new Send(text);
    }
    String[] parts = text.split("\\s+", 3);
    String name = parts[0];
    return switch (name) {
      case "/quit" -> parts.length == 1 ? new Quit() : usage("/quit");
      case "/members" -> parts.length == 1 ? new Members() : usage("/members");
      case "/help" -> new Help();
      case "/edit" -> parts.length == 3 ? withSeq(parts[1], "/edit SEQ TEXT", seq -> new Edit(seq, parts[2]))
          : usage("/edit SEQ TEXT");
      case "/delete" -> parts.length == 2 ? withSeq(parts[1], "/delete SEQ", Delete::new) : usage("/delete SEQ");
      case "/react" -> parts.length == 3 && !parts[2].contains(" ")
          ? withSeq(parts[1], "/react SEQ EMOJI", seq -> new React(seq, parts[2])) : usage("/react SEQ EMOJI");
      case "/dm" -> parts.length == 3 ? new Direct(parts[1], parts[2]) : usage("/dm USER TEXT");
      default -> new Invalid("unknown command " + Lines.safe(name) + "; /help lists the commands");
    };
  }

  private static Command withSeq(String seq, String form, java.util.function.LongFunction<Command> make) {
    String digits = seq.startsWith("#") ? seq.substring(1) : seq;
    try {
      long value = Long.parseLong(digits);
      if (value >= 1) {
        return make.apply(value);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    return new Invalid("expected a message number (the #SEQ shown before it), got " + Lines.safe(seq) + "; usage: "
        + form);
  }

  private static Command usage(String form) {
    return new Invalid("usage: " + form);
  }
}
