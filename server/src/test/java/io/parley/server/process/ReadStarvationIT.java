package io.parley.server.process;

import static io.parley.server.process.AttackHarness.BIG_ROOM;

import io.parley.server.process.AttackHarness.Mode;
import io.parley.server.testing.RawWebSocket;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, part 2: reads are isolated. Floods of history reads, each a query on the same
 * database, must not take the connections the committer needs: the victim's sends are all
 * acknowledged (a pool wait is never "storage down", so never {@code -32005}), while the attacker
 * may be slowed or refused ({@code -32003}, {@code -32005}, 429) as the server sees fit.
 *
 * <p>Run the jar on a JDK with virtual threads ({@code -Dparley.server.java.home=...}, as the Docker
 * image does) to see these attacks at full strength: there every waiting read has a thread of its
 * own, while on JDK 17 the server's 16 platform threads for blocking work cap the reads that
 * compete with the committer.
 */
@Timeout(120)
class ReadStarvationIT {
  private static final Duration ATTACK = Duration.ofSeconds(5);
  /**
   * Rows per read: enough that each read holds its connection for a while, small enough that the
   * replies (about 80 KB each) do not turn the test into one of reply sizes, which
   * {@link ReplyFloodIT} covers.
   */
  private static final int PAGE = 20;
  /** Keep-alive loops of the second attack: what two shared cores can drive, beside the server. */
  private static final int LOOPS = 1500;
  private static final Pattern CODE = Pattern.compile("\"error\":\\{\"code\":(-?\\d+)");

  /** One WebSocket sends 1,000 chat.history calls a second for 5 s and reads the replies. */
  @Test
  void aThousandHistoryCallsASecondDoNotStarveTheVictimsSends() throws Exception {
    try (AttackHarness h = AttackHarness.start("5 ws-read-flood", Mode.OPEN)) {
      h.seedBigRoom();
      h.watch();
      Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
      try (RawWebSocket raw = RawWebSocket.connect(Attackers.ADDRESS, h.port(), 0)) {
        Thread reader = new Thread(() -> readAll(raw, answers), "read-flood-reader");
        reader.setDaemon(true);
        reader.start();
        try (Attackers.Loop flood = new Attackers.Loop("read-flood", 10, n -> {
          for (int i = 0; i < 10; i++) {
            raw.sendText(Attackers.history(n * 10 + i, BIG_ROOM, PAGE));
          }
        })) {
          h.hold(ATTACK);
          h.note(String.format("attacker sent %d calls, got %s; its writes failed: %s", flood.steps() * 10,
              new TreeMap<>(answers), flood.failure()));
        }
      }
      h.finish();
    }
  }

  /** Counts the replies by outcome ("ok" or the error code) until the socket is closed. */
  private static void readAll(RawWebSocket raw, Map<String, AtomicInteger> answers) {
    try {
      while (true) {
        RawWebSocket.Reply reply = raw.read();
        if (reply.closed()) {
          answers.computeIfAbsent("closed " + reply.closeCode(), k -> new AtomicInteger()).incrementAndGet();
          return;
        }
        String head = reply.text().substring(0, Math.min(200, reply.text().length()));
        Matcher m = CODE.matcher(head);
        answers.computeIfAbsent(m.find() ? m.group(1) : "ok", k -> new AtomicInteger()).incrementAndGet();
      }
    } catch (IOException e) {
      // closed by the test, or by the server (then the victim's figures tell)
    }
  }

  /**
   * Token mode: {@value #LOOPS} keep-alive connections loop {@code GET /api/rooms/big/messages}
   * with no token for 5 s; the victim, with a valid token, sends as usual.
   */
  @Test
  void keepAliveReadsWithoutATokenDoNotStarveTheVictimsSends() throws Exception {
    try (AttackHarness h = AttackHarness.start("6 http-read-loops-no-token", Mode.TOKEN)) {
      h.seedBigRoom();
      h.watch();
      String request = Attackers.get(h.port(), "/api/rooms/" + BIG_ROOM + "/messages?limit=" + PAGE);
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      AtomicInteger connections = new AtomicInteger();
      AtomicInteger failures = new AtomicInteger();
      Set<Socket> open = ConcurrentHashMap.newKeySet();
      ExecutorService loops = Executors.newFixedThreadPool(LOOPS, Probe.daemon("get-loop"));
      AtomicBoolean stop = new AtomicBoolean();
      try {
        for (int i = 0; i < LOOPS; i++) {
          loops.execute(() -> {
            while (!stop.get()) {
              try (Socket s = Attackers.connect(h.port(), 0)) {
                open.add(s);
                connections.incrementAndGet();
                Attackers.Answer answer;
                do {
                  Attackers.write(s, request);
                  answer = Attackers.readAnswer(s.getInputStream());
                  statuses.computeIfAbsent(answer.status(), k -> new AtomicInteger()).incrementAndGet();
                } while (!answer.close() && !stop.get());
                open.remove(s);
              } catch (IOException e) {
                if (!stop.get()) {
                  failures.incrementAndGet(); // not the test closing it
                }
              }
            }
          });
        }
        h.hold(ATTACK);
      } finally {
        stop.set(true);
        loops.shutdownNow();
        Attackers.closeAll(open.stream().toList());
      }
      h.note(String.format("%d loops: %d connections, answers by status %s (-1: closed), %d failed connections",
          LOOPS, connections.get(), new TreeMap<>(statuses), failures.get()));
      h.finish();
    }
  }
}
