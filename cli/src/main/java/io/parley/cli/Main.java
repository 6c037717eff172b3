package io.parley.cli;

import io.parley.client.ConnectionListener;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.client.RpcErrorException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The entry point of {@code parley-cli.jar}: parses the command line, runs the chosen mode and
 * turns every failure into one line on stderr and an exit code (2 usage, 1 connection or server).
 * Never prints a stack trace.
 */
public final class Main {
  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;
  /** Where the token comes from when {@code --token} is not given. */
  static final String TOKEN_VARIABLE = "PARLEY_TOKEN";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /**
   * Runs the CLI with the given streams and returns its exit code instead of exiting: the entry
   * point for tests and for tools that embed the CLI.
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return run(args, System.getenv(TOKEN_VARIABLE), in, out, err);
  }

  /** As {@link #run(String[], InputStream, PrintStream, PrintStream)} with {@code envToken} standing in for {@code PARLEY_TOKEN}. */
  public static int run(String[] args, String envToken, InputStream in, PrintStream out, PrintStream err) {
    CliArgs cli;
    try {
      cli = CliArgs.parse(List.of(args), envToken);
    } catch (UsageException e) {
      err.println("parley-cli: " + e.getMessage());
      err.println("Try 'java -jar parley-cli.jar --help'.");
      return USAGE;
    }
    if (cli.mode() == CliArgs.Mode.HELP) {
      out.println(CliArgs.USAGE);
      return OK;
    }
    Lines lines = new Lines(ZoneId.systemDefault());
    try {
      // a status line that rewrites itself only where a person watches a terminal, never into a pipe
      boolean terminal = out == System.out && System.console() != null;
      return cli.mode() == CliArgs.Mode.CHAT ? new Chat(cli, lines, in, out, err, terminal).run()
          : OneShot.run(cli, lines, in, out);
    } catch (IllegalArgumentException e) {
      err.println("parley-cli: " + e.getMessage());
      return USAGE;
    } catch (CompletionException e) {
      err.println("parley-cli: " + describe(e));
      return FAILURE;
    } catch (RuntimeException e) {
      err.println("parley-cli: " + describe(e));
      return FAILURE;
    }
  }

  /** A client for this command line; chats reconnect, one-shot runs do not. */
  static ParleyClient client(CliArgs cli, boolean reconnect, ConnectionListener listener) {
    var builder = ParleyClient.builder().endpoint(cli.endpoint()).connectTimeout(cli.timeout())
        .callTimeout(cli.timeout()).listener(listener)
        .reconnect(reconnect ? ReconnectPolicy.defaults() : ReconnectPolicy.disabled());
    if (cli.name() != null) {
      builder.name(cli.name());
    }
    if (cli.token() != null) {
      builder.token(cli.token());
    }
    return builder.build();
  }

  /** One line for a person: the server's error with its code, or the failure's own message. */
  static String describe(Throwable thrown) {
    Throwable failure = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
    if (failure instanceof RpcErrorException e) {
      return "server error " + e.code() + ": " + e.errorMessage();
    }
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }
}
