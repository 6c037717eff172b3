package io.parley.server.process;

import static io.parley.server.process.AttackHarness.BIG_ROOM;
import static io.parley.server.process.Attackers.SMALL_RECEIVE_BUFFER;

import io.parley.server.process.AttackHarness.Mode;
import io.parley.server.testing.RawWebSocket;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 13, part 1: replies are bounded. Each test is one attack in which a client asks for far
 * more than the server's heap (-Xmx256m) can hold and does not read the answers, or goes away
 * before they are ready; the server must hold the attacker back (TCP back-pressure, caps on a
 * reply and a batch, write timeouts, cancelled work) instead of building what was asked for, and
 * everything {@link AttackHarness} checks must hold. Room {@value AttackHarness#BIG_ROOM} holds
 * 500 texts of 4,000 characters, so one {@code limit: 500} page is about 2 MB of JSON.
 */
@Timeout(120)
class ReplyFloodIT {
  private static final Duration ATTACK = Duration.ofSeconds(6);
  private static final int PAGE = 500;
  private static final int SOCKETS = 40;

  /** One socket asks for 120 full pages (single frames and batches) and keeps asking; it never reads. */
  @Test
  void aWebSocketThatAsksForHistoryAndNeverReadsIsHeldBack() throws Exception {
    try (AttackHarness h = AttackHarness.start("1 ws-history-unread", Mode.OPEN)) {
      h.seedBigRoom();
      h.watch();
      AtomicLong requests = new AtomicLong();
      try (RawWebSocket raw = RawWebSocket.connect(Attackers.ADDRESS, h.port(), SMALL_RECEIVE_BUFFER);
          Attackers.Loop flood = new Attackers.Loop("ws-flood", 10, n -> {
            if (n >= 60 && n < 66) {
              raw.sendText(Attackers.historyBatch(n * 100, 10, BIG_ROOM, PAGE)); // 6 batches of 10
              requests.addAndGet(10);
            } else {
              raw.sendText(Attackers.history(n * 100, BIG_ROOM, PAGE)); // 60 single frames, then on
              requests.incrementAndGet();
            }
          })) {
        h.hold(ATTACK);
        h.note(String.format("attacker wrote %d frames, %d requests; its writes failed: %s", flood.steps(),
            requests.get(), flood.failure()));
      }
      h.finish();
    }
  }

  /**
   * Forty sockets each ask for a batch of 100 pages and 20 more single pages and never read: one
   * socket is held back at about a megabyte, but forty would still add up past the heap without
   * the node's own line (an eighth of the heap), past which lagging sessions are held back.
   */
  @Test
  void manyWebSocketsThatNeverReadAreHeldBackTogether() throws Exception {
    try (AttackHarness h = AttackHarness.start("9 many-ws-unread", Mode.OPEN)) {
      h.seedBigRoom();
      h.watch();
      List<RawWebSocket> sockets = new ArrayList<>();
      try {
        String batch = Attackers.historyBatch(1, 100, BIG_ROOM, PAGE);
        for (int i = 0; i < SOCKETS; i++) {
          RawWebSocket raw = RawWebSocket.connect(Attackers.ADDRESS, h.port(), SMALL_RECEIVE_BUFFER);
          sockets.add(raw);
          raw.sendText(batch);
          for (int k = 0; k < 20; k++) {
            raw.sendText(Attackers.history(1000 + k, BIG_ROOM, PAGE));
          }
        }
        h.note(SOCKETS + " sockets x (a batch of 100 pages + 20 pages), never read");
        h.hold(ATTACK);
      } finally {
        Attackers.closeAll(sockets);
      }
      h.finish();
    }
  }

  /** Four connections each POST one batch of 100 full pages to /rpc (a 9 KB body) and never read. */
  @Test
  void anHttpBatchWhoseAnswerIsNeverReadIsBounded() throws Exception {
    try (AttackHarness h = AttackHarness.start("2 http-batch-unread", Mode.OPEN)) {
      h.seedBigRoom();
      h.watch();
      List<Socket> sockets = new ArrayList<>();
      try {
        String body = Attackers.historyBatch(1, 100, BIG_ROOM, PAGE);
        for (int i = 0; i < 4; i++) {
          Socket s = Attackers.connect(h.port(), SMALL_RECEIVE_BUFFER);
          sockets.add(s);
          Attackers.write(s, Attackers.post(h.port(), "/rpc", body));
        }
        h.note("4 POST /rpc of " + body.length() + " bytes each");
        h.hold(ATTACK);
      } finally {
        Attackers.closeAll(sockets);
      }
      h.finish();
    }
  }

  /**
   * Token mode, before authentication: a socket that never reads sends batches of
   * {@code rpc.discover} (allowed before {@code session.hello}) every 10 ms. The server must still
   * end it at the auth deadline (10 s): with a 1008 close if it can write one, else by aborting the
   * connection a few seconds later. Seen from here, the connection is gone when a write fails.
   */
  @Test
  void anUnauthenticatedSocketThatNeverReadsIsStillClosedAtTheAuthDeadline() throws Exception {
    Duration deadline = Duration.ofSeconds(10 + 6);
    try (AttackHarness h = AttackHarness.start("3 preauth-discover-unread", Mode.TOKEN)) {
      h.watch();
      String batch = Attackers.batch(100, i -> "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"rpc.discover\"}");
      try (RawWebSocket raw = RawWebSocket.connect(Attackers.ADDRESS, h.port(), SMALL_RECEIVE_BUFFER);
          Attackers.Loop flood = new Attackers.Loop("discover-flood", 10, n -> raw.sendText(batch))) {
        boolean closed = h.awaitUntil(flood::failed, deadline);
        h.note(String.format("attacker wrote %d batches of 100 rpc.discover; connection ended: %s", flood.steps(),
            flood.failure()));
        h.require(closed, "the server ended the unauthenticated connection within " + deadline.toSeconds()
            + " s (auth deadline 10 s + a few to abort a close it cannot write); its writes failed: " + flood.failure());
      }
      h.finish();
    }
  }

  /** 150 connections each GET a full page of history over plain HTTP and never read the answer. */
  @Test
  void plainHttpReadsThatAreNeverReadAreBounded() throws Exception {
    try (AttackHarness h = AttackHarness.start("4 http-get-unread", Mode.OPEN)) {
      h.seedBigRoom();
      h.watch();
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 150; i++) {
          Socket s = Attackers.connect(h.port(), SMALL_RECEIVE_BUFFER);
          sockets.add(s);
          Attackers.write(s, Attackers.get(h.port(), "/api/rooms/" + BIG_ROOM + "/messages?limit=" + PAGE));
        }
        h.hold(ATTACK);
      } finally {
        Attackers.closeAll(sockets);
      }
      h.finish();
    }
  }

  /**
   * Abandoned work: four times a second apart, 10 WebSockets each queue 120 full pages (a batch of
   * 100 and 20 single frames) and 5 HTTP clients each POST a batch of 100, and all of them hang up
   * at once (a FIN, right after writing). The work for them must be dropped or cancelled: the
   * heap stays bounded during the attack and for 3 s after, and the victim keeps working.
   */
  @Test
  void workForClientsThatHungUpDoesNotPileUp() throws Exception {
    try (AttackHarness h = AttackHarness.start("8 abandoned-work", Mode.OPEN)) {
      h.seedBigRoom();
      h.watch();
      String batch = Attackers.historyBatch(1, 100, BIG_ROOM, PAGE);
      try (Attackers.Loop rounds = new Attackers.Loop("abandon", 1000, n -> {
        if (n >= 4) {
          return;
        }
        List<AutoCloseable> gone = new ArrayList<>();
        try {
          for (int i = 0; i < 10; i++) {
            RawWebSocket raw = RawWebSocket.connect(Attackers.ADDRESS, h.port(), 0);
            gone.add(raw);
            raw.sendText(batch);
            for (int k = 0; k < 20; k++) {
              raw.sendText(Attackers.history(1000 + k, BIG_ROOM, PAGE));
            }
          }
          for (int i = 0; i < 5; i++) {
            Socket s = Attackers.connect(h.port(), 0);
            gone.add(s);
            Attackers.write(s, Attackers.post(h.port(), "/rpc", batch));
          }
        } finally {
          Attackers.closeAll(gone);
        }
      })) {
        h.hold(ATTACK.plusSeconds(3));
        h.note(String.format("%d rounds of 10 WebSockets x 120 pages + 5 POSTs x 100 pages abandoned; attacker "
            + "failure: %s", Math.min(4, rounds.steps()), rounds.failure()));
      }
      h.finish();
    }
  }
}
