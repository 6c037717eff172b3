package io.parley.server.process;

import io.parley.server.process.AttackHarness.Mode;
import io.parley.server.testing.RawWebSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, part 3: request bodies are read without holding a thread. 250 connections each declare
 * a 60 KB body for {@code POST /rpc} and send it one byte every 2 s, more connections than Jetty
 * has threads (200); while they trickle, {@code /health}, {@code /metrics} and WebSocket upgrades
 * must keep answering, and the victim's sends be acknowledged.
 */
@Timeout(120)
class SlowBodyIT {
  private static final Duration ATTACK = Duration.ofSeconds(8);
  private static final int CONNECTIONS = 250;
  private static final int DECLARED = 60_000;

  @Test
  void bodiesSentOneByteAtATimeDoNotFreezeTheServer() throws Exception {
    try (AttackHarness h = AttackHarness.start("7 slow-bodies", Mode.OPEN)) {
      h.watch();
      h.probe(Probe.every("/metrics", Duration.ofMillis(500), AttackHarness.PROBE_TIMEOUT, () -> h.httpGet("/metrics")));
      h.probe(Probe.every("upgrade", Duration.ofMillis(500), AttackHarness.PROBE_TIMEOUT, () -> {
        try (RawWebSocket ws = RawWebSocket.connect(h.port())) {
          ws.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[1]}");
          ws.readText();
        }
      }));
      List<Socket> slow = new CopyOnWriteArrayList<>();
      try (Attackers.Loop trickle = new Attackers.Loop("trickle", 2000, n -> {
        if (n == 0) {
          for (int i = 0; i < CONNECTIONS; i++) {
            Socket s = Attackers.connect(h.port(), 0);
            slow.add(s);
            Attackers.write(s, Attackers.postHead(h.port(), "/rpc", DECLARED) + "[");
          }
        } else {
          for (Socket s : slow) {
            s.getOutputStream().write(' ');
            s.getOutputStream().flush();
          }
        }
      })) {
        h.hold(ATTACK);
        h.note(String.format("%d connections trickled %d bytes each of a declared %d; attacker failure: %s",
            slow.size(), trickle.steps(), DECLARED, trickle.failure()));
      } finally {
        Attackers.closeAll(slow);
      }
      h.finish();
    }
  }
}
