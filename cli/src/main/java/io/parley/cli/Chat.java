package io.parley.cli;

import io.parley.client.ConnectionListener;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The interactive chat: joins the room, prints its messages (numbered, so {@code /edit} can name
 * them), their edits, deletions and reactions, presence, direct messages and "typing" as they come
 * and the connection's ups and downs, and sends every line typed or runs its command ({@link
 * Command}). Ends with 0 on {@code /quit} or end of input, with 1 when the connection is lost for
 * good. Lines are read on a daemon thread so a lost connection ends the run even while the user is
 * not typing.
 */
final class Chat implements ConnectionListener {
  private final CliArgs cli;
  private final Lines lines;
  private final InputStream in;
  private final Screen screen;
  private final PrintStream err;
  private final boolean terminal;
  private final CompletableFuture<Integer> done = new CompletableFuture<>();
  private volatile boolean connected;

  Chat(CliArgs cli, Lines lines, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    this.cli = cli;
    this.lines = lines;
    this.in = in;
    this.screen = new Screen(out, terminal, Clock.systemUTC());
    this.err = err;
    this.terminal = terminal;
  }

  int run() {
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parley-cli-status");
      t.setDaemon(true);
      return t;
    });
    try (ParleyClient client = Main.client(cli, true, this)) {
      String user = client.connect().join().user();
      connected = true;
      JoinedRoom room = client.join(cli.room()).join();
      screen.line("* you are " + Lines.safe(user) + " in " + Lines.safe(room.name()) + " with "
          + Lines.safe(String.join(", ", room.joinResult().members()))
          + "; type a line to send it, /help for commands, /quit to leave");
      room.onMessage(m -> {
        screen.stoppedTyping(m.from());
        screen.line(lines.numbered(m));
      });
      room.onChange(c -> screen.line(lines.change(c, room.message(c.seq()).orElse(null), false)));
      room.onTyping(t -> screen.typing(t.user()));
      room.onPresence(change -> screen.line(lines.presence(change)));
      client.onDirect(m -> screen.line(lines.direct(m)));
      client.onDirectChange(c -> screen.line(lines.change(c, null, true)));
      client.onBroadcast(note -> screen.line("[broadcast] " + Lines.safe(note.from()) + ": " + Lines.safe(note.text())));
      if (terminal) {
        ticker.scheduleAtFixedRate(screen::tick, 1, 1, TimeUnit.SECONDS);
      }
      Thread reader = new Thread(() -> readLines(client, room, user), "parley-cli-input");
      reader.setDaemon(true);
      reader.start();
      return done.join();
    } finally {
      ticker.shutdownNow();
    }
  }

  private void readLines(ParleyClient client, JoinedRoom room, String user) {
    // Piped input ends at once: what was already sent must still finish before the client closes.
    List<CompletableFuture<?>> pending = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
      String line;
      while ((line = reader.readLine()) != null) {
        Command command = Command.parse(line);
        if (command instanceof Command.Quit) {
          break;
        }
        try {
          CompletableFuture<?> sent = run(command, client, room, user);
          if (sent != null) {
            pending.add(sent);
          }
        } catch (IllegalArgumentException e) {
          err.println("parley-cli: not done: " + Lines.safe(e.getMessage()));
        }
      }
    } catch (IOException e) {
      err.println("parley-cli: cannot read input: " + e.getMessage());
    }
    pending.removeIf(CompletableFuture::isDone);
    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
        .handle((ok, failure) -> done.complete(Main.OK));
  }

  /** Starts what {@code command} asks; the future (or null) ends when it is done and reported. */
  private CompletableFuture<?> run(Command command, ParleyClient client, JoinedRoom room, String user) {
    if (command instanceof Command.Send send) {
      return report(room.send(send.text()), "not sent", null);
    } else if (command instanceof Command.Edit edit) {
      return report(room.edit(edit.seq(), edit.text()), "not edited", r -> r.changed() ? null
          : "* #" + r.seq() + " already has that text");
    } else if (command instanceof Command.Delete delete) {
      return report(room.delete(delete.seq()), "not deleted", r -> r.changed() ? null
          : "* #" + r.seq() + " was already deleted");
    } else if (command instanceof Command.React react) {
      return report(current(client, room, react.seq()).thenCompose(m -> {
        boolean mine = m != null && hasReacted(m, react.emoji(), user);
        return room.react(react.seq(), react.emoji(), !mine);
      }), "no reaction", null);
    } else if (command instanceof Command.Direct direct) {
      return report(client.sendDirect(direct.to(), direct.text()), "not sent", null);
    } else if (command instanceof Command.Members) {
      return client.members(room.name()).whenComplete((members, failure) -> screen.line(
          failure == null ? "* members: " + Lines.safe(String.join(", ", members)) : "* " + Main.describe(failure)));
    } else if (command instanceof Command.Help) {
      Command.HELP.lines().forEach(screen::line);
    } else if (command instanceof Command.Invalid invalid) {
      err.println("parley-cli: " + invalid.message());
    }
    return null;
  }

  /**
   * The message as it is now: from the room's view, or (older than the join) from history, so that
   * {@code /react} knows whether to add or take back; {@code null} if the server has none.
   */
  private static CompletableFuture<Message> current(ParleyClient client, JoinedRoom room, long seq) {
    return room.message(seq).map(CompletableFuture::completedFuture).orElseGet(() -> client
        .history(new HistoryParams(room.name(), null, seq - 1, 1))
        .thenApply(page -> page.isEmpty() || page.get(0).seq() != seq ? null : page.get(0)));
  }

  private static boolean hasReacted(Message m, String emoji, String user) {
    return m.reactions() != null && m.reactions().getOrDefault(emoji, List.of()).contains(user);
  }

  /** Prints a failure on stderr, and what {@code note} makes of a success (if anything) on the screen. */
  private <T> CompletableFuture<T> report(CompletableFuture<T> call, String failed,
      java.util.function.Function<T, String> note) {
    return call.whenComplete((result, failure) -> {
      if (failure != null) {
        err.println("parley-cli: " + failed + ": " + Lines.safe(Main.describe(failure)));
      } else if (note != null) {
        String said = note.apply(result);
        if (said != null) {
          screen.line(said);
        }
      }
    });
  }

  @Override
  public void onReconnecting(int attempt, Duration delay, Throwable cause) {
    if (connected) {
      screen.line("* " + (attempt == 1 ? "connection lost" : "still offline") + " (" + Main.describe(cause)
          + "); reconnecting in " + delay.toMillis() + " ms, attempt " + attempt);
    }
  }

  @Override
  public void onOpen(String user) {
    if (connected) {
      screen.line("* reconnected");
    }
  }

  @Override
  public void onFailed(Throwable cause) {
    if (connected) {
      err.println("parley-cli: connection lost: " + Main.describe(cause));
      done.complete(Main.FAILURE);
    }
  }
}
