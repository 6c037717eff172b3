package io.parley.cli;

import io.parley.client.ConnectionListener;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The interactive chat: joins the room, prints its messages and presence as they come and the
 * connection's ups and downs, and sends every line typed. Ends with 0 on {@code /quit} or end of
 * input, with 1 when the connection is lost for good. Lines are read on a daemon thread so a
 * lost connection ends the run even while the user is not typing.
 */
final class Chat implements ConnectionListener {
  private final CliArgs cli;
  private final Lines lines;
  private final InputStream in;
  private final PrintStream out;
  private final PrintStream err;
  private final CompletableFuture<Integer> done = new CompletableFuture<>();
  private volatile boolean connected;

  Chat(CliArgs cli, Lines lines, InputStream in, PrintStream out, PrintStream err) {
    this.cli = cli;
    this.lines = lines;
    this.in = in;
    this.out = out;
    this.err = err;
  }

  int run() {
    try (ParleyClient client = Main.client(cli, true, this)) {
      String user = client.connect().join().user();
      connected = true;
      JoinedRoom room = client.join(cli.room()).join();
      out.println("* you are " + user + " in " + room.name() + " with " + String.join(", ", room.joinResult().members())
          + "; type a line to send it, /members, /quit");
      room.onMessage(m -> out.println(lines.message(m)));
      room.onPresence(change -> out.println(lines.presence(change)));
      client.onBroadcast(note -> out.println("[broadcast] " + note.from() + ": " + note.text()));
      Thread reader = new Thread(() -> readLines(client, room), "parley-cli-input");
      reader.setDaemon(true);
      reader.start();
      return done.join();
    }
  }

  private void readLines(ParleyClient client, JoinedRoom room) {
    // Piped input ends at once: what was already sent must still finish before the client closes.
    List<CompletableFuture<?>> pending = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, Charset.defaultCharset()))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String text = line.strip();
        if (text.equals("/quit")) {
          break;
        } else if (text.equals("/members")) {
          pending.add(client.members(room.name()).whenComplete((members, failure) -> out.println(
              failure == null ? "* members: " + String.join(", ", members) : "* " + Main.describe(failure))));
        } else if (!text.isEmpty()) {
          pending.add(room.send(text).whenComplete((sent, failure) -> {
            if (failure != null) {
              err.println("parley-cli: not sent: " + Main.describe(failure));
            }
          }));
        }
      }
    } catch (IOException e) {
      err.println("parley-cli: cannot read input: " + e.getMessage());
    }
    pending.removeIf(CompletableFuture::isDone);
    CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0]))
        .handle((ok, failure) -> done.complete(Main.OK));
  }

  @Override
  public void onReconnecting(int attempt, Duration delay, Throwable cause) {
    if (connected) {
      out.println("* " + (attempt == 1 ? "connection lost" : "still offline") + " (" + Main.describe(cause)
          + "); reconnecting in " + delay.toMillis() + " ms, attempt " + attempt);
    }
  }

  @Override
  public void onOpen(String user) {
    if (connected) {
      out.println("* reconnected");
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
