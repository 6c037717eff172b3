package io.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * History paging on a room of 120 messages, through {@code chat.history} on a WebSocket and
 * through {@code GET /api/rooms/{room}/messages}: pages are ascending by seq; {@code before} gives
 * the newest {@code limit} below it, {@code after} the oldest {@code limit} above it, neither the
 * newest {@code limit} (default 50).
 */
abstract class HistoryPagingTests extends SharedServerTests {
  private static final int COUNT = 120;

  /** The two ways to read history. */
  enum Via { WEBSOCKET, HTTP }

  private final String room = room("paging");
  private List<JsonObject> stored;
  private RpcSocket reader;

  @BeforeAll
  void fillRoom() {
    stored = fill(room, COUNT, i -> "message number " + i);
    reader = connect("reader");
  }

  @AfterAll
  void closeReader() {
    if (reader != null) {
      reader.close();
    }
  }

  private List<JsonObject> page(Via via, String room, Long before, Long after, Integer limit) {
    return via == Via.WEBSOCKET
        ? Wire.history(reader, room, before, after, limit)
        : Wire.history(server, room, before, after, limit);
  }

  private List<JsonObject> page(Via via, Long before, Long after, Integer limit) {
    return page(via, room, before, after, limit);
  }

  /** The stored messages with seqs {@code from..to}, as {@code chat.send} returned them. */
  private List<JsonObject> seqs(long from, long to) {
    return new ArrayList<>(stored.subList((int) from - 1, (int) to));
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void withoutBoundsGivesTheNewestFiftyAscending(Via via) {
    assertThat(page(via, null, null, null)).isEqualTo(seqs(71, 120));
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void limitTakesTheNewest(Via via) {
    assertThat(page(via, null, null, 10)).isEqualTo(seqs(111, 120));
    assertThat(page(via, null, null, 1)).isEqualTo(seqs(120, 120));
    assertThat(page(via, null, null, 500)).isEqualTo(seqs(1, 120));
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void beforeGivesTheNewestBelowIt(Via via) {
    assertThat(page(via, 50L, null, 10)).isEqualTo(seqs(40, 49));
    assertThat(page(via, 121L, null, 3)).isEqualTo(seqs(118, 120));
    assertThat(page(via, 100L, null, null)).isEqualTo(seqs(50, 99));
    assertThat(page(via, 5L, null, 10)).isEqualTo(seqs(1, 4));
    assertThat(page(via, 1L, null, 10)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void afterGivesTheOldestAboveIt(Via via) {
    assertThat(page(via, null, 50L, 10)).isEqualTo(seqs(51, 60));
    assertThat(page(via, null, 0L, 5)).isEqualTo(seqs(1, 5));
    assertThat(page(via, null, 60L, null)).isEqualTo(seqs(61, 110));
    assertThat(page(via, null, 115L, 10)).isEqualTo(seqs(116, 120));
    assertThat(page(via, null, 120L, 10)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void pagingBackwardsFromTheEndVisitsEveryMessageOnce(Via via) {
    List<JsonObject> seen = new ArrayList<>();
    List<JsonObject> page = page(via, null, null, 7);
    for (int pages = 0; !page.isEmpty(); pages++) {
      assertThat(pages).as("pages read").isLessThan(COUNT);
      assertThat(page.size()).isLessThanOrEqualTo(7);
      assertThat(Wire.seqs(page)).isSorted();
      seen.addAll(0, page);
      page = page(via, page.get(0).get("seq").getAsLong(), null, 7);
    }
    assertThat(Wire.runs(Wire.seqs(seen))).isEqualTo(Wire.span(1, COUNT));
    assertThat(seen).isEqualTo(stored);
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void pagingForwardsFromTheStartVisitsEveryMessageOnce(Via via) {
    List<JsonObject> seen = new ArrayList<>();
    List<JsonObject> page = page(via, null, 0L, 7);
    for (int pages = 0; !page.isEmpty(); pages++) {
      assertThat(pages).as("pages read").isLessThan(COUNT);
      assertThat(page.size()).isLessThanOrEqualTo(7);
      assertThat(Wire.seqs(page)).isSorted();
      seen.addAll(page);
      page = page(via, null, page.get(page.size() - 1).get("seq").getAsLong(), 7);
    }
    assertThat(Wire.runs(Wire.seqs(seen))).isEqualTo(Wire.span(1, COUNT));
    assertThat(seen).isEqualTo(stored);
  }

  private JsonObject result(Via via, String room, Long before, Long after, Integer limit) {
    return via == Via.WEBSOCKET
        ? Wire.historyResult(reader, room, before, after, limit)
        : Wire.historyResult(server, room, before, after, limit);
  }

  /**
   * A page is also capped at about 1 MiB of JSON: 400 messages of 4,000 characters are about
   * 1.6 MB, so a page of 500 is cut and says {@code truncated}. Without {@code after} the cap
   * keeps the newest and the client pages on with {@code before}; with {@code after} it keeps the
   * oldest and the client pages on with {@code after}; either way every message is seen once.
   */
  @ParameterizedTest
  @EnumSource(Via.class)
  void bigPagesAreCutAtAboutOneMebibyteAndSayTruncated(Via via) {
    int count = 400;
    String bigRoom = room("big-pages");
    List<JsonObject> big = fill(bigRoom, count, i -> i + "x".repeat(3_990));
    JsonObject newest = result(via, bigRoom, null, null, 500);
    List<JsonObject> page = Wire.objects(newest.getAsJsonArray("messages"));
    assertThat(newest.get("truncated").getAsBoolean()).isTrue();
    assertThat(page.size()).isBetween(200, 300);
    assertThat(newest.toString().length()).isLessThanOrEqualTo(1024 * 1024 + 8 * 1024);
    assertThat(page).isEqualTo(big.subList(count - page.size(), count));

    List<JsonObject> backwards = new ArrayList<>(page);
    JsonObject older = result(via, bigRoom, page.get(0).get("seq").getAsLong(), null, 500);
    assertThat(older.get("truncated").getAsBoolean()).isFalse();
    backwards.addAll(0, Wire.objects(older.getAsJsonArray("messages")));
    assertThat(backwards).isEqualTo(big);

    JsonObject oldest = result(via, bigRoom, null, 0L, 500);
    List<JsonObject> first = Wire.objects(oldest.getAsJsonArray("messages"));
    assertThat(oldest.get("truncated").getAsBoolean()).isTrue();
    assertThat(first).isEqualTo(big.subList(0, first.size()));
    JsonObject rest = result(via, bigRoom, null, first.get(first.size() - 1).get("seq").getAsLong(), 500);
    assertThat(rest.get("truncated").getAsBoolean()).isFalse();
    assertThat(Wire.objects(rest.getAsJsonArray("messages"))).isEqualTo(big.subList(first.size(), count));
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void aRoomWithoutMessagesGivesAnEmptyList(Via via) {
    String unknown = room("never-written");
    assertThat(page(via, unknown, null, null, null)).isEmpty();
    assertThat(page(via, unknown, 10L, null, 5)).isEmpty();
    assertThat(page(via, unknown, null, 0L, 5)).isEmpty();
  }
}
