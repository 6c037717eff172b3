package io.parley.cli;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The parsed command line.
 *
 * @param endpoint the server's ws:// URI
 * @param name the user name, or {@code null} for a guest name
 * @param token the JWT for a server in token mode, or {@code null}
 * @param room the room of the interactive chat or of {@code --send}
 * @param mode what to do
 * @param argument the text of {@code --echo}/{@code --send}, the room of {@code --history}; for
 *     {@code --dm} the text, or {@code null} to read it from standard input
 * @param to the recipient of {@code --dm}, otherwise {@code null}
 * @param limit how many messages {@code --history} prints
 * @param timeout the connect and call timeout
 */
record CliArgs(URI endpoint, String name, String token, String room, Mode mode, String argument, String to, int limit,
    Duration timeout) {

  /** What the run does. */
  enum Mode { CHAT, ECHO, SEND, HISTORY, DIRECT, HELP }

  static final String USAGE = String.join("\n",
      "Usage: java -jar parley-cli.jar ws://HOST:PORT/ws [options]",
      "",
      "Chats in a room: lines you type are sent, messages are printed as they come,",
      "numbered (#SEQ), with their edits, deletions and reactions, your direct",
      "messages, and who is typing. Commands: /edit SEQ TEXT, /delete SEQ,",
      "/react SEQ EMOJI (adds it, or takes yours back: a toggle), /dm USER TEXT,",
      "/members, /help, /quit (or end of input) to leave.",
      "",
      "Options:",
      "  --name NAME      your user name (default: a guest name from the server)",
      "  --token JWT      the token for a server in token mode (default: $PARLEY_TOKEN;",
      "                   the variable keeps it out of the process list and shell history)",
      "  --room ROOM      the room to chat in (default: lobby)",
      "  --echo TEXT      ask the server to echo TEXT, print it and exit",
      "  --send TEXT      send TEXT to --room, print the stored message and exit",
      "  --history ROOM   print ROOM's latest messages and exit",
      "  --dm USER        send a direct message to USER, print it and exit: the text of",
      "                   --send TEXT, or else all of standard input",
      "  --limit N        how many messages --history prints, 1-500 (default: 50)",
      "  --timeout SECS   connect and call timeout in seconds (default: 10)",
      "  -h, --help       show this help",
      "",
      "Exit codes: 0 done, 1 connection or server failure, 2 usage error.");

  static CliArgs parse(List<String> args) throws UsageException {
    return parse(args, null);
  }

  /** Parses {@code args}; {@code envToken} (from {@code PARLEY_TOKEN}) is used when no {@code --token} is given. */
  static CliArgs parse(List<String> args, String envToken) throws UsageException {
    URI endpoint = null;
    String name = null;
    String token = envToken == null || envToken.isBlank() ? null : envToken.trim();
    String room = "lobby";
    Mode mode = Mode.CHAT;
    String argument = null;
    String to = null;
    int limit = 50;
    Duration timeout = Duration.ofSeconds(10);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "-h", "--help" -> mode = Mode.HELP;
        case "--name" -> name = value(args, ++i, arg);
        case "--token" -> token = value(args, ++i, arg);
        case "--room" -> room = value(args, ++i, arg);
        case "--dm" -> to = value(args, ++i, arg);
        case "--limit" -> limit = number(value(args, ++i, arg), arg, 1, 500);
        case "--timeout" -> timeout = Duration.ofSeconds(number(value(args, ++i, arg), arg, 1, 3600));
        case "--echo", "--send", "--history" -> {
          if (mode != Mode.CHAT) {
            throw new UsageException("choose one of --echo, --send and --history");
          }
          mode = Mode.valueOf(arg.substring(2).toUpperCase(java.util.Locale.ROOT));
          argument = value(args, ++i, arg);
        }
        default -> {
          if (arg.startsWith("-") || endpoint != null) {
            throw new UsageException("unknown argument: " + arg);
          }
          endpoint = endpoint(arg);
        }
      }
      if (mode == Mode.HELP) {
        return new CliArgs(null, null, null, room, Mode.HELP, null, null, limit, timeout);
      }
    }
    if (endpoint == null) {
      throw new UsageException("missing the server's address, e.g. ws://localhost:8080/ws");
    }
    if (token != null && token.isBlank()) {
      throw new UsageException("--token: expected a JWT, got an empty string");
    }
    if (to != null) {
      if (mode != Mode.CHAT && mode != Mode.SEND) {
        throw new UsageException("--dm goes alone (the text from standard input) or with --send TEXT");
      }
      mode = Mode.DIRECT;
    }
    return new CliArgs(endpoint, name, token, room, mode, argument, to, limit, timeout);
  }

  private static String value(List<String> args, int index, String option) throws UsageException {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  private static int number(String text, String option, int min, int max) throws UsageException {
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + " expects a number from " + min + " to " + max + ", got \"" + text + "\"");
  }

  private static URI endpoint(String text) throws UsageException {
    try {
      URI uri = new URI(text);
      if (("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new UsageException("expected a ws:// or wss:// address, got \"" + text + "\"");
  }
}
