package io.parley.sql;

import static io.parley.sql.StoreFixture.range;
import static io.parley.sql.StoreFixture.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Numbering, ordering, timestamps and verbatim storage of appended messages. */
interface AppendContract extends StoreFixture {

  @Test
  default void seqStartsAtOneAndGrowsByOnePerMessage() {
    assertThat(store().lastSeq("lobby")).isZero();
    assertThat(appendOne(msg("lobby", "alice", "hi")).message().seq()).isEqualTo(1);
    assertThat(seqs(fill("lobby", 3))).containsExactly(2L, 3L, 4L);
    assertThat(appendOne(msg("lobby", "bob", "yo")).message().seq()).isEqualTo(5);
    assertThat(store().lastSeq("lobby")).isEqualTo(5);
    assertThat(seqs(store().history("lobby", null, null, 100))).isEqualTo(range(1, 5));
  }

  @Test
  default void roomsAreNumberedIndependently() {
    fill("a", 3);
    assertThat(appendOne(msg("b", "alice", "first in b")).message().seq()).isEqualTo(1);
    assertThat(appendOne(msg("a", "alice", "fourth in a")).message().seq()).isEqualTo(4);
    assertThat(store().lastSeq("a")).isEqualTo(4);
    assertThat(store().lastSeq("b")).isEqualTo(1);
  }

  @Test
  default void batchKeepsListOrderWithinEachRoom() {
    List<Appended> result = store().append(List.of(
        msg("b", "u1", "b1"), msg("a", "u2", "a1"), msg("b", "u3", "b2"), msg("a", "u1", "a2")));
    assertThat(result)
        .extracting(r -> r.message().room() + r.message().seq() + "=" + r.message().text())
        .containsExactly("b1=b1", "a1=a1", "b2=b2", "a2=a2");
    assertThat(result).noneMatch(Appended::duplicate);
  }

  @Test
  default void storedMessageCarriesAllFieldsAndMillisecondTimestamp() {
    StoredMessage stored = appendOne(msg("lobby", "alice", "hello", "c-1")).message();
    assertThat(stored)
        .isEqualTo(new StoredMessage("lobby", 1, "alice", "hello", "c-1", NOW_MILLIS));
    assertThat(store().history("lobby", null, null, 10)).containsExactly(stored);
  }

  @Test
  default void emptyBatchStoresNothing() {
    assertThat(store().append(List.of())).isEmpty();
    assertThat(store().lastSeq("lobby")).isZero();
  }

  @Test
  default void textsAreStoredVerbatim() {
    List<String> texts = List.of(
        "it's \"quoted\" and back\\slashed",
        "'; DROP TABLE messages; --",
        "Robert'); DELETE FROM rooms WHERE ('1'='1",
        "Grüße, 你好, emoji 😀👍🏽, RTL שלום",
        "line1\nline2\ttab\r\nend \u2028 \u0001",
        "%_ like wildcards [x] $1 ?",
        "x".repeat(64 * 1024) + "é");
    List<NewMessage> batch = new ArrayList<>();
    for (String text : texts) {
      batch.add(msg("weird'room", "o'brien \"ö\"", text, "id'; --" + batch.size()));
    }
    List<StoredMessage> stored = store().append(batch).stream().map(Appended::message).toList();
    List<StoredMessage> read = store().history("weird'room", null, null, 100);
    assertThat(read).isEqualTo(stored);
    assertThat(read).extracting(StoredMessage::text).isEqualTo(texts);
    assertThat(store().lastSeq("weird'room")).isEqualTo(texts.size());
  }

  /**
   * Values that mean something in an SQL array literal (the store passes each column of a batch
   * as one array) come back as they were sent: {@code NULL} as a word is not a null, braces,
   * commas, quotes and blanks are text.
   */
  @Test
  default void arrayLiteralLookalikesAreStoredVerbatim() {
    List<String> values = List.of("NULL", "null", "", " ", "  padded  ", "{}", "{a,b}", "\"", "\\",
        ",", "a,b", "(1,2)", "\"{NULL}\"", "\\N", "tab\there");
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      String room = i % 2 == 0 ? "{r,1}" : "NULL";
      batch.add(msg(room, v.isBlank() ? "s" + v + "s" : v, v, v.isEmpty() ? null : v));
    }
    List<StoredMessage> stored = store().append(batch).stream().map(Appended::message).toList();
    assertThat(stored).extracting(StoredMessage::text).isEqualTo(values);
    for (int i = 0; i < values.size(); i++) {
      assertThat(stored.get(i).clientId()).isEqualTo(batch.get(i).clientId());
      assertThat(stored.get(i).sender()).isEqualTo(batch.get(i).sender());
    }
    List<StoredMessage> read = new ArrayList<>(store().history("{r,1}", null, null, 100));
    read.addAll(store().history("NULL", null, null, 100));
    assertThat(read).containsExactlyInAnyOrderElementsOf(stored);
    assertThat(seqs(store().history("{r,1}", null, null, 100))).isEqualTo(range(1, 8));
    assertThat(seqs(store().history("NULL", null, null, 100))).isEqualTo(range(1, 7));
    assertThat(store().append(batch)).allMatch(a -> a.duplicate() == (a.message().clientId() != null));
  }

  /** A client id of 128 emoji (the protocol's longest) is 256 UTF-16 units: the schema holds it. */
  @Test
  default void longestNamesAndClientIdsFitAlsoOutsideTheBasicPlane() {
    String face = "\uD83D\uDE00"; // one code point, two UTF-16 units
    NewMessage astral = msg("lobby", face.repeat(127), "t", face.repeat(256));
    StoredMessage stored = appendOne(astral).message();
    assertThat(stored.sender()).isEqualTo(astral.sender());
    assertThat(stored.clientId()).isEqualTo(astral.clientId());
    assertThat(appendOne(astral).duplicate()).isTrue();
  }

  @Test
  default void messagesTheSchemaCannotHoldAreRejectedUpFront() {
    assertThatThrownBy(() -> msg("lobby", "alice", "nul \0 inside"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
    assertThatThrownBy(() -> msg("r".repeat(65), "alice", "t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("room");
    assertThatThrownBy(() -> msg("lobby", "", "t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sender");
    assertThatThrownBy(() -> msg("lobby", "alice", "t", "c".repeat(513)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
    assertThatThrownBy(() -> msg("lobby", "\uD83D\uDE00".repeat(128), "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sender must have 1 to 255 UTF-16 units, got 256");
    List<NewMessage> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> store().append(withNull)).isInstanceOf(NullPointerException.class);
  }
}
