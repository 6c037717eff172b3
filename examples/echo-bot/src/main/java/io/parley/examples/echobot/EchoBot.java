package io.parley.examples.echobot;

import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyException;
import io.parley.protocol.types.Message;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A chat bot that answers every message in a room with {@code echo: <text>}.
 *
 * <pre>
 * java -cp "target/classes:$(cat target/classpath.txt)" io.parley.examples.echobot.EchoBot ws://localhost:8080/ws [room] [--self-check]
 * </pre>
 *
 * <p>With {@code --self-check} a second client joins the room, says something, waits for the
 * bot's echo, and the program exits: 0 when the echo came back, 1 when not within 20 s. CI runs
 * it that way against a real server.
 */
public final class EchoBot {
  private static final String BOT = "echo-bot";
  private static final String PREFIX = "echo: ";
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(20);

  private EchoBot() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 1) {
      System.err.println("usage: EchoBot ws://host:port/ws [room] [--self-check]");
      System.exit(2);
    }
    String endpoint = args[0];
    String room = args.length > 1 && !args[1].startsWith("--") ? args[1] : "lobby";
    boolean selfCheck = java.util.Arrays.asList(args).contains("--self-check");

    try (ParleyClient bot = ParleyClient.builder().endpoint(endpoint).name(BOT).build()) {
      bot.connect().join();
      JoinedRoom joined = bot.join(room).join();
      joined.onMessage(message -> answer(joined, message));
      System.out.println(BOT + " echoes in room " + room);
      if (selfCheck) {
        System.exit(selfCheck(endpoint, room) ? 0 : 1);
      }
      new CountDownLatch(1).await(); // run until the process is stopped
    } catch (ParleyException e) {
      System.err.println("echo-bot: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Echoes what others say; never its own lines, or two bots would echo each other forever. */
  private static void answer(JoinedRoom room, Message message) {
    if (BOT.equals(message.from()) || message.text().startsWith(PREFIX)) {
      return;
    }
    System.out.println(message.time() + " " + message.from() + ": " + message.text());
    room.send(PREFIX + message.text()).exceptionally(failure -> {
      System.err.println("echo-bot: could not echo: " + failure.getMessage());
      return null;
    });
  }

  /** A second client says a unique line and waits for the bot's echo of it. */
  private static boolean selfCheck(String endpoint, String room) {
    String line = "ping " + UUID.randomUUID();
    try (ParleyClient checker = ParleyClient.builder().endpoint(endpoint).name("echo-check").build()) {
      checker.connect().join();
      JoinedRoom joined = checker.join(room).join();
      CompletableFuture<Message> echoed = new CompletableFuture<>();
      joined.onMessage(m -> {
        if (BOT.equals(m.from()) && m.text().equals(PREFIX + line)) {
          echoed.complete(m);
        }
      });
      joined.send(line).join();
      Message echo = echoed.get(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      System.out.println("self-check passed: the bot echoed \"" + line + "\" (seq " + echo.seq() + ")");
      return true;
    } catch (Exception e) {
      System.err.println("self-check failed: no echo of \"" + line + "\" within " + CHECK_TIMEOUT.toSeconds()
          + " s (" + e + ")");
      return false;
    }
  }
}
