package io.parley.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.sql.ChangeOutcome.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Edits, deletions and reactions (contract 1.1): rules, gap-free revs, current state in every read. */
interface ChangeContract extends StoreFixture {
  int EDITS = 3;
  int EMOJI = 2;

  default ChangeOutcome edit(String room, long seq, String user, String text) {
    return store().change(ChangeRequest.edit(room, seq, user, text, EDITS));
  }

  default ChangeOutcome react(String room, long seq, String user, String emoji, boolean on) {
    return store().change(ChangeRequest.react(room, seq, user, emoji, on, EMOJI));
  }

  default StoredMessage only(String room, long seq) {
    return store().history(room, seq + 1, seq - 1, 1).get(0);
  }

  @Test
  default void theAuthorEditsAndEveryReadShowsTheNewText() {
    fill("lobby", 3); // by alice
    ChangeOutcome first = edit("lobby", 2, "alice", "m2, fixed");
    assertThat(first.status()).isEqualTo(Status.CHANGED);
    assertThat(first.rev()).isEqualTo(1);
    assertThat(first.change()).isEqualTo(
        new StoredChange("lobby", 1, 2, ChangeKind.EDIT, "alice", NOW_MILLIS, "m2, fixed", null, null));
    StoredMessage m = only("lobby", 2);
    assertThat(m.text()).isEqualTo("m2, fixed");
    assertThat(m.edited()).isEqualTo(NOW_MILLIS);
    assertThat(m.deleted()).isFalse();
    assertThat(store().since("lobby", 1, 10, 1 << 20).messages().get(0).text()).isEqualTo("m2, fixed");
    assertThat(only("lobby", 1).edited()).as("others untouched").isNull();
    assertThat(store().lastRev("lobby")).isEqualTo(1);
    assertThat(store().lastSeq("lobby")).as("a change is not a message").isEqualTo(3);
  }

  @Test
  default void refusalsAndNoOpsStoreNothing() {
    fill("lobby", 2);
    assertThat(edit("lobby", 1, "bob", "mine now").status()).isEqualTo(Status.NOT_ALLOWED);
    assertThat(edit("lobby", 1, "alice", "m1").status()).as("same text").isEqualTo(Status.UNCHANGED);
    assertThat(edit("lobby", 9, "alice", "x").status()).isEqualTo(Status.NO_SUCH_MESSAGE);
    assertThat(edit("nowhere", 1, "alice", "x").status()).isEqualTo(Status.NO_SUCH_MESSAGE);
    assertThat(store().change(ChangeRequest.delete("lobby", 1, "bob", false)).status()).isEqualTo(Status.NOT_ALLOWED);
    assertThat(react("lobby", 1, "bob", "👍", false).status()).as("absent reaction").isEqualTo(Status.UNCHANGED);
    assertThat(store().lastRev("lobby")).isZero();
    assertThat(store().changes("lobby", 0, Long.MAX_VALUE, 100, 1 << 20).changes()).isEmpty();
    assertThat(only("lobby", 1).text()).isEqualTo("m1");
  }

  @Test
  default void aRoomsStateIsReadInOneGo() {
    assertThat(store().roomState("nowhere", "ann")).isEqualTo(new RoomState(0, 0, 0));
    fill("lobby", 3);
    edit("lobby", 1, "alice", "changed");
    store().markRead("lobby", "ann", 2);
    assertThat(store().roomState("lobby", "ann")).isEqualTo(new RoomState(3, 1, 2));
    assertThat(store().roomState("lobby", "bob")).as("no position of bob's").isEqualTo(new RoomState(3, 1, 0));
  }

  @Test
  default void editsAreBounded() {
    fill("lobby", 1);
    for (int i = 1; i <= EDITS; i++) {
      assertThat(edit("lobby", 1, "alice", "v" + i).status()).isEqualTo(Status.CHANGED);
    }
    assertThat(edit("lobby", 1, "alice", "one too many").status()).isEqualTo(Status.LIMIT_REACHED);
    assertThat(only("lobby", 1).text()).isEqualTo("v" + EDITS);
  }

  @Test
  default void reactionsKeepTheirOrderAndAreIdempotent() {
    fill("lobby", 2);
    assertThat(react("lobby", 1, "bob", "👍", true).rev()).isEqualTo(1);
    assertThat(react("lobby", 1, "ann", "🎉", true).rev()).isEqualTo(2);
    assertThat(react("lobby", 1, "alice", "👍", true).rev()).isEqualTo(3);
    assertThat(react("lobby", 1, "alice", "👍", true).status()).isEqualTo(Status.UNCHANGED);
    assertThat(react("lobby", 1, "cy", "🔥", true).status()).as("a third emoji").isEqualTo(Status.LIMIT_REACHED);
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("👍", List.of("bob", "alice"));
    expected.put("🎉", List.of("ann"));
    assertThat(only("lobby", 1).reactions()).isEqualTo(expected);
    assertThat(List.copyOf(only("lobby", 1).reactions().keySet())).containsExactly("👍", "🎉");
    assertThat(only("lobby", 2).reactions()).isEmpty();

    ChangeOutcome off = react("lobby", 1, "ann", "🎉", false);
    assertThat(off.change()).isEqualTo(
        new StoredChange("lobby", 4, 1, ChangeKind.REACT, "ann", NOW_MILLIS, null, "🎉", false));
    assertThat(only("lobby", 1).reactions()).isEqualTo(Map.of("👍", List.of("bob", "alice")));
    assertThat(react("lobby", 1, "cy", "🔥", true).status()).as("room again for an emoji").isEqualTo(Status.CHANGED);
    assertThat(store().history("lobby", null, null, 10).get(0).reactions()).containsOnlyKeys("👍", "🔥");
  }

  @Test
  default void aDeletionEmptiesTheMessageAndItsEditHistory() {
    fill("lobby", 2);
    edit("lobby", 1, "alice", "a secret");
    react("lobby", 1, "bob", "👍", true);
    assertThat(store().change(ChangeRequest.delete("lobby", 1, "alice", false)).rev()).isEqualTo(3);
    StoredMessage m = only("lobby", 1);
    assertThat(m.deleted()).isTrue();
    assertThat(m.text()).isEmpty();
    assertThat(m.reactions()).isEmpty();
    assertThat(store().changes("lobby", 0, Long.MAX_VALUE, 10, 1 << 20).changes())
        .extracting(StoredChange::kind, StoredChange::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeKind.EDIT, ""),
            org.assertj.core.groups.Tuple.tuple(ChangeKind.REACT, null),
            org.assertj.core.groups.Tuple.tuple(ChangeKind.DELETE, null));
    assertThat(store().change(ChangeRequest.delete("lobby", 1, "alice", false)).status()).isEqualTo(Status.UNCHANGED);
    assertThat(edit("lobby", 1, "alice", "back").status()).isEqualTo(Status.DELETED);
    assertThat(react("lobby", 1, "bob", "👍", true).status()).isEqualTo(Status.DELETED);
    assertThat(store().change(ChangeRequest.delete("lobby", 2, "root", true)).status())
        .as("an administrator deletes another's message").isEqualTo(Status.CHANGED);
    assertThat(store().lastRev("lobby")).isEqualTo(4);
  }

  @Test
  default void changePagesAreBoundedAndAnchoredAfter() {
    fill("lobby", 5);
    for (int i = 1; i <= 5; i++) {
      edit("lobby", i, "alice", "x".repeat(1000) + i);
    }
    assertThat(store().changes("lobby", 1, Long.MAX_VALUE, 2, 1 << 20).changes())
        .extracting(StoredChange::rev).containsExactly(2L, 3L);
    assertThat(store().changes("lobby", 1, 3, 100, 1 << 20).changes())
        .extracting(StoredChange::rev).containsExactly(2L, 3L);
    ChangePage cut = store().changes("lobby", 0, Long.MAX_VALUE, 100, 2500);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.changes()).extracting(StoredChange::rev).containsExactly(1L, 2L);
    ChangePage tiny = store().changes("lobby", 0, Long.MAX_VALUE, 100, 1);
    assertThat(tiny.changes()).as("at least one").hasSize(1);
    assertThat(store().changes("lobby", 5, Long.MAX_VALUE, 100, 1 << 20).changes()).isEmpty();
  }

  @Test
  default void changesSurviveAReopenAndAppendsGoOn() {
    fill("lobby", 2);
    edit("lobby", 1, "alice", "kept");
    react("lobby", 2, "bob", "👍", true);
    MessageStore reopened = reopen();
    assertThat(reopened.lastRev("lobby")).isEqualTo(2);
    assertThat(reopened.history("lobby", null, null, 10)).extracting(StoredMessage::text).containsExactly("kept", "m2");
    assertThat(reopened.append(List.of(msg("lobby", "bob", "m3"))).get(0).message().seq()).isEqualTo(3);
    assertThat(reopened.change(ChangeRequest.edit("lobby", 3, "bob", "m3!", EDITS)).rev()).isEqualTo(3);
  }

  @Test
  default void racingChangesGetGapFreeRevsAndTheFinalStateIsTheirOrder() throws Exception {
    fill("lobby", 4);
    int writers = 8;
    int each = 12;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Future<List<ChangeOutcome>>> results = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int w = 0; w < writers; w++) {
        String user = "u" + w;
        results.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          List<ChangeOutcome> out = new ArrayList<>();
          for (int i = 0; i < each; i++) {
            long seq = 1 + (i % 4);
            out.add(i % 3 == 2
                ? store().change(ChangeRequest.edit("lobby", seq, "alice", user + "-" + i, 1000))
                : react("lobby", seq, user, i % 2 == 0 ? "👍" : "🎉", i % 4 < 2));
          }
          return out;
        }));
      }
      start.countDown();
      List<Long> revs = new ArrayList<>();
      for (Future<List<ChangeOutcome>> f : results) {
        for (ChangeOutcome o : f.get(60, TimeUnit.SECONDS)) {
          if (o.changed()) {
            revs.add(o.rev());
          }
        }
      }
      revs.sort(null);
      assertThat(revs).isEqualTo(StoreFixture.range(1, revs.size()));
      assertThat(store().lastRev("lobby")).isEqualTo(revs.size());
    } finally {
      pool.shutdownNow();
    }
    // Replaying the log in rev order gives the state every read shows.
    Map<Long, String> texts = new LinkedHashMap<>();
    Map<Long, Map<String, List<String>>> reactions = new LinkedHashMap<>();
    for (StoredChange c : store().changes("lobby", 0, Long.MAX_VALUE, 1000, 1 << 22).changes()) {
      if (c.kind() == ChangeKind.EDIT) {
        texts.put(c.seq(), c.text());
      } else {
        List<String> users = reactions.computeIfAbsent(c.seq(), s -> new LinkedHashMap<>())
            .computeIfAbsent(c.emoji(), e -> new ArrayList<>());
        if (c.on()) {
          users.add(c.user());
        } else {
          users.remove(c.user());
        }
        if (users.isEmpty()) {
          reactions.get(c.seq()).remove(c.emoji());
        }
      }
    }
    for (StoredMessage m : store().history("lobby", null, null, 10)) {
      assertThat(m.text()).isEqualTo(texts.getOrDefault(m.seq(), "m" + m.seq()));
      assertThat(m.reactions()).isEqualTo(reactions.getOrDefault(m.seq(), Map.of()));
    }
  }
}
