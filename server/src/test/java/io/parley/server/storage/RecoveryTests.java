package io.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code room.join} with {@code since}: {@code missed} holds every message after it, ascending,
 * at most 1,000 and about 1 MiB of JSON, {@code truncated} says whether more exist, and
 * {@code chat.history} {@code after} pages the rest without a gap; and a join while another
 * member keeps sending is followed by exactly the live messages after the join's {@code seq}.
 */
abstract class RecoveryTests extends SharedServerTests {
  private static final long MIB = 1024 * 1024;
  private static final int JOINERS = 40;

  @Test
  void missedHoldsEveryMessageAfterSinceAscending() {
    String room = room("since");
    List<JsonObject> stored = fill(room, 30, i -> "hello " + i);
    try (RpcSocket late = connect("late")) {
      JsonObject join = late.call("room.join", Wire.obj("room", room, "since", 10));
      assertThat(join.get("room").getAsString()).isEqualTo(room);
      assertThat(join.get("seq").getAsLong()).isEqualTo(30);
      assertThat(join.get("truncated").getAsBoolean()).isFalse();
      assertThat(missed(join)).isEqualTo(stored.subList(10, 30));
    }
    try (RpcSocket fresh = connect("fresh")) {
      JsonObject join = fresh.call("room.join", Wire.obj("room", room, "since", 0));
      assertThat(join.get("seq").getAsLong()).isEqualTo(30);
      assertThat(join.get("truncated").getAsBoolean()).isFalse();
      assertThat(missed(join)).isEqualTo(stored);
    }
  }

  @Test
  void sinceTheLastSeqMissesNothing() {
    String room = room("uptodate");
    fill(room, 5, i -> "m" + i);
    try (RpcSocket current = connect("current")) {
      JsonObject join = current.call("room.join", Wire.obj("room", room, "since", 5));
      assertThat(join.get("seq").getAsLong()).isEqualTo(5);
      assertThat(join.get("truncated").getAsBoolean()).isFalse();
      assertThat(join.getAsJsonArray("missed")).isEmpty();
    }
    try (RpcSocket empty = connect("empty")) {
      JsonObject join = empty.call("room.join", Wire.obj("room", room("empty"), "since", 0));
      assertThat(join.get("seq").getAsLong()).isZero();
      assertThat(join.get("truncated").getAsBoolean()).isFalse();
      assertThat(join.getAsJsonArray("missed")).isEmpty();
    }
  }

  @Test
  void moreThanAThousandMissedIsTruncatedAndHistoryPagesTheRest() {
    String room = room("thousands");
    List<JsonObject> stored = fill(room, 1100, i -> "bulk " + i);
    for (long since : new long[] {0, 50, 99, 100}) {
      try (RpcSocket late = connect("late" + since)) {
        JsonObject join = late.call("room.join", Wire.obj("room", room, "since", since));
        List<JsonObject> missed = missed(join);
        assertThat(join.get("seq").getAsLong()).isEqualTo(1100);
        assertThat(missed).as("missed since %d", since).isNotEmpty().hasSizeLessThanOrEqualTo(1000);
        if (since < 100) {
          assertThat(join.get("truncated").getAsBoolean()).as("truncated since %d", since).isTrue();
        }
        assertRecoveryCompletes(late, room, since, join, stored);
      }
    }
  }

  @Test
  void largeMessagesAreTruncatedByTheByteBudget() {
    String room = room("large");
    // 3,995 code points, about 6.8 KB of UTF-8 each (1-, 2-, 3- and 4-byte characters)
    String filler = "Grüße € \uD83D\uDE00 ".repeat(399);
    List<JsonObject> stored = fill(room, 300, i -> String.format("%04d:", i) + filler);
    try (RpcSocket late = connect("late")) {
      JsonObject join = late.call("room.join", Wire.obj("room", room, "since", 0));
      JsonArray missed = join.getAsJsonArray("missed");
      long bytes = missed.toString().getBytes(StandardCharsets.UTF_8).length;
      assertThat(join.get("truncated").getAsBoolean()).isTrue();
      assertThat(missed.size()).isBetween(1, 299);
      assertThat(bytes).as("UTF-8 bytes of missed (%d messages)", missed.size())
          .isLessThanOrEqualTo(MIB + MIB / 64);
      System.out.printf("%s: recovery of 300 large messages sent %d of them, %d bytes of JSON%n",
          store(), missed.size(), bytes);
      assertRecoveryCompletes(late, room, 0, join, stored);
    }
  }

  /**
   * Forty members join with {@code since} one after another while a sender keeps 20 sends in
   * flight all the time: each gets its join result first, then live {@code chat.message}s, and
   * missed plus live is every seq after {@code since} exactly once, in order (the join buffering
   * guarantee).
   */
  @Test
  void joiningWhileAnotherMemberSendsMissesNothingAndRepeatsNothing() throws Exception {
    String room = room("live");
    fill(room, 20, i -> "before " + i);
    AtomicBoolean joinsDone = new AtomicBoolean();
    ExecutorService background = Executors.newSingleThreadExecutor();
    List<RpcSocket> joiners = new ArrayList<>();
    try (RpcSocket sender = member("sender", room)) {
      Future<Long> sending = background.submit(() -> sendUntil(sender, room, joinsDone));
      List<Long> sinces = new ArrayList<>();
      List<RpcSocket.Frame> joins = new ArrayList<>();
      long seen = 0;
      for (int j = 1; j <= JOINERS; j++) {
        while (seen < 20 + 10L * j) {
          seen = sender.nextChatMessage().json().get("seq").getAsLong();
        }
        RpcSocket joiner = connect("joiner" + j);
        joiners.add(joiner);
        for (JsonObject m : sender.chatMessagesSoFar()) {
          seen = m.get("seq").getAsLong();
        }
        long since = seen - 7L * (j % 5);
        sinces.add(since);
        joins.add(joiner.reply(joiner.send("room.join", Wire.obj("room", room, "since", since))));
      }
      joinsDone.set(true);
      long lastSeq = sending.get(60, TimeUnit.SECONDS);
      List<JsonObject> history = Wire.wholeHistory(sender, room);
      assertThat(Wire.runs(Wire.seqs(history))).isEqualTo(Wire.span(1, lastSeq));
      List<String> expected = new ArrayList<>();
      List<String> actual = new ArrayList<>();
      for (int j = 0; j < joiners.size(); j++) {
        JsonObject join = joins.get(j).json().getAsJsonObject("result");
        assertThat(join).as("join reply %s", joins.get(j).json()).isNotNull();
        long since = sinces.get(j);
        long joinSeq = join.get("seq").getAsLong();
        List<JsonObject> live = live(joiners.get(j), joins.get(j), lastSeq);
        String what = "joiner" + (j + 1) + " since " + since + ", join seq " + joinSeq;
        expected.add(what + ": missed " + Wire.span(since + 1, joinSeq) + "; live " + Wire.span(joinSeq + 1, lastSeq));
        actual.add(what + ": missed " + Wire.runs(Wire.seqs(missed(join))) + "; live " + Wire.runs(Wire.seqs(live)));
        List<JsonObject> all = new ArrayList<>(missed(join));
        all.addAll(live);
        if (expected.equals(actual)) {
          assertThat(all).isEqualTo(history.subList((int) since, history.size()));
        }
      }
      assertThat(actual).as("seqs of missed, then of live chat.message, per joiner").isEqualTo(expected);
    } finally {
      joiners.forEach(RpcSocket::close);
      background.shutdownNow();
    }
  }

  /** Sends with 20 in flight until {@code stop} is set, then 100 more; returns the last seq. */
  private static long sendUntil(RpcSocket sender, String room, AtomicBoolean stop) {
    List<String> ids = new ArrayList<>();
    int afterStop = 0;
    while (ids.size() < 5_000 && afterStop < 100) {
      if (stop.get()) {
        afterStop++;
      }
      if (ids.size() >= 20) {
        sender.result(ids.get(ids.size() - 20));
      }
      ids.add(sender.send("chat.send", Wire.obj("room", room, "text", "live " + ids.size())));
    }
    long last = 0;
    for (String id : ids) {
      last = Math.max(last, sender.result(id).get("seq").getAsLong());
    }
    return last;
  }

  /**
   * The joiner's live chat.messages up to {@code lastSeq}; checks that none came before the join
   * result.
   */
  private static List<JsonObject> live(RpcSocket joiner, RpcSocket.Frame reply, long lastSeq) {
    JsonObject join = reply.json().getAsJsonObject("result");
    assertThat(join.get("truncated").getAsBoolean()).isFalse();
    List<JsonObject> seen = new ArrayList<>();
    long last = join.get("seq").getAsLong();
    while (last < lastSeq) {
      RpcSocket.Frame live = joiner.nextChatMessage();
      assertThat(live.index()).as("position of chat.message %s (join result came at %d)", live.json(),
          reply.index()).isGreaterThan(reply.index());
      seen.add(live.json());
      last = live.json().get("seq").getAsLong();
    }
    return seen;
  }

  /**
   * Checks one recovery: {@code missed} continues right after {@code since} without a gap,
   * {@code truncated} is true exactly when it stops short of {@code seq}, and paging with
   * {@code chat.history after} from its end gives the rest: together every stored message once.
   */
  private static void assertRecoveryCompletes(RpcSocket socket, String room, long since,
      JsonObject join, List<JsonObject> stored) {
    List<JsonObject> recovered = new ArrayList<>(missed(join));
    long last = recovered.isEmpty() ? since : recovered.get(recovered.size() - 1).get("seq").getAsLong();
    assertThat(Wire.runs(Wire.seqs(recovered))).as("missed since %d", since).isEqualTo(Wire.span(since + 1, last));
    assertThat(join.get("truncated").getAsBoolean()).as("truncated, with missed up to %d of %d", last,
        stored.size()).isEqualTo(last < stored.size());
    for (int pages = 0; last < stored.size(); pages++) {
      assertThat(pages).as("history pages after the recovery").isLessThan(50);
      List<JsonObject> page = Wire.history(socket, room, null, last, 100);
      assertThat(page).as("history after %d", last).isNotEmpty();
      recovered.addAll(page);
      last = page.get(page.size() - 1).get("seq").getAsLong();
    }
    assertThat(Wire.runs(Wire.seqs(recovered))).isEqualTo(Wire.span(since + 1, stored.size()));
    assertThat(recovered).isEqualTo(stored.subList((int) since, stored.size()));
  }

  private static List<JsonObject> missed(JsonObject join) {
    return Wire.objects(join.getAsJsonArray("missed"));
  }
}
