package io.parley.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.JoinedRoom;
import io.parley.client.MessageState;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.ChangeResult;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.HistoryResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.RoomInfo;
import io.parley.server.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recovery of edits, deletions and reactions (contract 1.1) through the SDK, against the real
 * server on both stores: cara's connection is held and then cut while ann sends, edits, deletes
 * and writes to her directly, and bob reacts. After cara's client reconnects, its room view equals
 * the server's history, and it saw every seq and every rev once; the same for the direct
 * conversation (messages from {@code directMessages()}, changes from {@code directChanges()}).
 */
@Timeout(120)
class ClientChangesRecoveryTest {
  private static final ReconnectPolicy FAST = ReconnectPolicy.forever(Duration.ofMillis(50), Duration.ofMillis(400));
  private static final List<String> EMOJI = List.of("👍", "❤️", "😂");
  private static final int OPS = 160;
  private static final int PAUSE_AT = 40;
  private static final int CUT_AT = 100;

  private static <T> T get(CompletableFuture<T> future) {
    return future.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static ParleyClient client(URI uri, String name) {
    ParleyClient client = ParleyClient.builder().endpoint(uri).name(name).reconnect(FAST)
        .connectTimeout(Duration.ofSeconds(5)).callTimeout(Duration.ofSeconds(30)).build();
    get(client.connect());
    return client;
  }

  /** Waits for {@code done} with bounded round trips on {@code client}, for at most 30 s. */
  private static void await(ParleyClient client, String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within 30 s: %s", what).isLessThan(deadline);
      get(client.echo("[1]"));
    }
  }

  private static List<Message> history(ParleyClient client, String room) {
    List<Message> all = new ArrayList<>();
    long after = 0;
    while (true) {
      HistoryResult page = get(client.historyPage(new HistoryParams(room, null, after, 500)));
      if (page.messages().isEmpty()) {
        return all;
      }
      all.addAll(page.messages());
      after = page.messages().get(page.messages().size() - 1).seq();
    }
  }

  @ParameterizedTest
  @EnumSource(TestServer.Store.class)
  void aCutMembersViewEqualsHistoryWithEverySeqAndRevOnce(TestServer.Store store) throws Exception {
    String room = "chg-" + store.name().toLowerCase();
    try (TestServer server = TestServer.start(store);
        CutProxy proxy = new CutProxy(server.port());
        ParleyClient ann = client(server.wsUri(), "ann");
        ParleyClient bob = client(server.wsUri(), "bob")) {
      // A conversation with history and changes before cara's client starts: its rev is noted at start.
      Message first = get(ann.sendDirect("cara", "before you came"));
      String dm = first.room();
      get(ann.edit(dm, first.seq(), "before you came, edited"));
      get(ann.react(dm, first.seq(), "👍", true));

      try (ParleyClient cara = client(proxy.wsUri(), "cara")) {
        List<Long> seqs = new CopyOnWriteArrayList<>();
        List<Long> revs = new CopyOnWriteArrayList<>();
        List<Long> dmSeqs = new CopyOnWriteArrayList<>();
        List<Long> dmRevs = new CopyOnWriteArrayList<>();
        Map<Long, Message> dmCopies = new ConcurrentHashMap<>();
        JoinedRoom caraRoom = get(cara.join(room));
        caraRoom.onMessage(m -> seqs.add(m.seq()));
        caraRoom.onChange(c -> revs.add(c.rev()));
        cara.onDirect(m -> {
          dmSeqs.add(m.seq());
          dmCopies.put(m.seq(), m);
        });
        cara.onDirectChange(c -> {
          dmRevs.add(c.rev());
          dmCopies.computeIfPresent(c.seq(), (seq, m) -> MessageState.apply(m, c));
        });
        get(ann.join(room));
        get(bob.join(room));

        // One live change in the conversation, seen before anything is cut.
        Message second = get(ann.sendDirect("cara", "now"));
        get(ann.react(dm, second.seq(), "❤️", true));
        await(cara, "the live direct change", () -> dmRevs.contains(3L));

        new Writer(ann, bob, room, dm, new Random(17), proxy).run();

        RoomInfo info = get(ann.info(room));
        RoomInfo dmInfo = get(ann.info(dm));
        await(cara, "cara's room at seq " + info.seq() + " rev " + info.rev(),
            () -> seqs.contains(info.seq()) && revs.contains(info.rev())); // what the listeners saw
        await(cara, "cara's conversation at seq " + dmInfo.seq() + " rev " + dmInfo.rev(),
            () -> dmSeqs.contains(dmInfo.seq()) && dmRevs.contains(dmInfo.rev()));
        assertThat(proxy.accepted()).as("cara reconnected").isGreaterThanOrEqualTo(2);

        assertThat(seqs).as("every seq once").containsExactlyElementsOf(range(1, info.seq()));
        assertThat(revs).as("every rev once").containsExactlyElementsOf(range(1, info.rev()));
        assertThat(caraRoom.recent()).as("cara's view is the server's history").isEqualTo(history(ann, room));

        assertThat(dmSeqs).as("every direct seq once").containsExactlyElementsOf(range(2, dmInfo.seq()));
        assertThat(dmRevs).as("every direct rev once").containsExactlyElementsOf(range(3, dmInfo.rev()));
        Map<Long, Message> expected = new LinkedHashMap<>();
        for (Message m : history(ann, dm)) {
          if (m.seq() >= 2) {
            expected.put(m.seq(), m.withTo(m.from().equals("ann") ? "cara" : "ann"));
          }
        }
        assertThat(new LinkedHashMap<>(new java.util.TreeMap<>(dmCopies))).as("cara's copies of the conversation")
            .isEqualTo(expected);
      }
    }
  }

  /**
   * An outage longer than one recovery holds: more than 1,000 messages and 1,000 changes while
   * cara's connection is held, so the rejoin comes back truncated and the SDK pages both {@code
   * chat.history} and {@code chat.changes}; her view still ends equal to history.
   */
  @ParameterizedTest
  @EnumSource(TestServer.Store.class)
  void aLongOutageIsPagedWithoutGapOrDuplicate(TestServer.Store store) throws Exception {
    String room = "chg-long-" + store.name().toLowerCase();
    int n = 1_100;
    try (TestServer server = TestServer.start(store);
        CutProxy proxy = new CutProxy(server.port());
        ParleyClient ann = client(server.wsUri(), "ann");
        ParleyClient bob = client(server.wsUri(), "bob");
        ParleyClient cara = client(proxy.wsUri(), "cara")) {
      List<Long> seqs = new CopyOnWriteArrayList<>();
      List<Long> revs = new CopyOnWriteArrayList<>();
      JoinedRoom caraRoom = get(cara.join(room));
      caraRoom.onMessage(m -> seqs.add(m.seq()));
      caraRoom.onChange(c -> revs.add(c.rev()));
      get(ann.join(room));
      get(bob.join(room));
      for (int i = 1; i <= 4; i++) {
        get(ann.send(room, "before " + i));
      }
      proxy.pauseDownstream();
      List<CompletableFuture<?>> window = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        window.add(ann.send(room, "while away " + i));
        // bob's reaction to an earlier message flips on and off: every one is a stored change
        window.add(bob.react(room, 1 + i % 4, "👍", (i / 4) % 2 == 0));
        if (window.size() >= 64) {
          window.forEach(ClientChangesRecoveryTest::get);
          window.clear();
        }
      }
      window.forEach(ClientChangesRecoveryTest::get);
      proxy.cut();
      proxy.resume();

      RoomInfo info = get(ann.info(room));
      assertThat(info.rev()).as("more changes than one recovery holds").isGreaterThan(1_000);
      await(cara, "cara's room at seq " + info.seq() + " rev " + info.rev(),
          () -> seqs.contains(info.seq()) && revs.contains(info.rev())); // what the listeners saw
      assertThat(seqs).as("every seq once").containsExactlyElementsOf(range(1, info.seq()));
      assertThat(revs).as("every rev once").containsExactlyElementsOf(range(1, info.rev()));
      List<Message> all = history(ann, room);
      assertThat(caraRoom.recent()).as("cara's view (the latest 1,000) is the server's history")
          .isEqualTo(all.subList(all.size() - 1_000, all.size()));
      assertThat(caraRoom.message(2)).as("older than the window").isEmpty();
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  /**
   * ann sends, edits and deletes in the room and writes to cara; bob toggles reactions. At {@link
   * #PAUSE_AT} cara's connection stops receiving; at {@link #CUT_AT} it is cut (and new connections
   * flow again), while the writing goes on.
   */
  private static final class Writer {
    private final ParleyClient ann;
    private final ParleyClient bob;
    private final String room;
    private final String dm;
    private final Random random;
    private final CutProxy proxy;
    private final List<Long> roomSeqs = new ArrayList<>();
    private final Set<Long> deleted = new HashSet<>();
    private final Set<String> reacted = new HashSet<>();
    private final List<Long> dmSeqs = new ArrayList<>();
    private final Set<Long> dmDeleted = new HashSet<>();

    Writer(ParleyClient ann, ParleyClient bob, String room, String dm, Random random, CutProxy proxy) {
      this.ann = ann;
      this.bob = bob;
      this.room = room;
      this.dm = dm;
      this.random = random;
      this.proxy = proxy;
    }

    void run() {
      for (int op = 1; op <= OPS; op++) {
        if (op == PAUSE_AT) {
          proxy.pauseDownstream();
        } else if (op == CUT_AT) {
          proxy.cut();
          proxy.resume();
        }
        int dice = random.nextInt(100);
        Long target = live(roomSeqs, deleted);
        if (dice < 30 || target == null) {
          roomSeqs.add(get(ann.send(room, "m" + op)).seq());
        } else if (dice < 50) {
          assertThat(get(ann.edit(room, target, "edit " + op)).changed()).isTrue();
        } else if (dice < 58) {
          assertThat(get(ann.delete(room, target)).changed()).isTrue();
          deleted.add(target);
        } else if (dice < 85) {
          String emoji = EMOJI.get(random.nextInt(EMOJI.size()));
          boolean on = reacted.add(target + emoji);
          if (!on) {
            reacted.remove(target + emoji);
          }
          ChangeResult result = get(bob.react(room, target, emoji, on));
          assertThat(result.changed()).isTrue();
        } else {
          direct(op);
        }
      }
    }

    private void direct(int op) {
      Long target = live(dmSeqs, dmDeleted);
      int dice = random.nextInt(4);
      if (dice == 0 || target == null) {
        dmSeqs.add(get(ann.sendDirect("cara", "d" + op)).seq());
      } else if (dice == 1) {
        get(ann.edit(dm, target, "dm edit " + op));
      } else if (dice == 2) {
        get(ann.react(dm, target, EMOJI.get(op % EMOJI.size()), op % 2 == 0));
      } else {
        get(ann.delete(dm, target));
        dmDeleted.add(target);
      }
    }

    private Long live(List<Long> seqs, Set<Long> gone) {
      List<Long> candidates = seqs.stream().filter(s -> !gone.contains(s)).toList();
      return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }
  }
}
