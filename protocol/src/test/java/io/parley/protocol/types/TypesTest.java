package io.parley.protocol.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonElement;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcException;
import io.parley.protocol.internal.Json;
import io.parley.protocol.internal.StrictJsonParser;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;

/** Each params and result record's {@code from(...)}: required and optional members, exact types, -32602 naming the field. */
class TypesTest {
  private static final String TS = "2026-11-22T10:15:30.123Z";
  private static final String MESSAGE =
      "{\"room\":\"lobby\",\"seq\":3,\"from\":\"ann\",\"text\":\"hi\",\"ts\":\"" + TS + "\"}";

  // --- session.hello

  @Test
  void helloWithoutParamsHasNeitherNameNorToken() {
    assertThat(HelloParams.from(null)).isEqualTo(new HelloParams(null, null));
  }

  @Test
  void helloWithEmptyObjectOrNulls() {
    assertThat(HelloParams.from(json("{}"))).isEqualTo(new HelloParams(null, null));
    assertThat(HelloParams.from(json("{\"name\":null,\"token\":null}"))).isEqualTo(new HelloParams(null, null));
  }

  @Test
  void helloReadsNameAndToken() {
    assertThat(HelloParams.from(json("{\"name\":\"ann\",\"token\":\"a.b.c\",\"extra\":1}")))
        .isEqualTo(new HelloParams("ann", "a.b.c"));
  }

  @Test
  void helloWrongTypes() {
    assertInvalid(() -> HelloParams.from(json("{\"name\":5}")), "name", "name: expected a string, got 5");
    assertInvalid(() -> HelloParams.from(json("{\"token\":[]}")), "token", "token: expected a string, got []");
    assertInvalid(() -> HelloParams.from(json("[\"ann\"]")), "params", "params: expected an object, got [\"ann\"]");
  }

  @Test
  void helloResult() {
    assertThat(HelloResult.from(json("{\"user\":\"ann\",\"session\":\"s1\",\"protocol\":\"parley/1.1\"}")))
        .isEqualTo(new HelloResult("ann", "s1", HelloResult.PROTOCOL));
    assertThat(HelloResult.from(json("{\"user\":\"ann\",\"session\":\"s1\",\"protocol\":\"parley/1\"}")).protocol())
        .as("a 1.0 server's answer reads as it came").isEqualTo("parley/1");
    assertInvalid(
        () -> HelloResult.from(json("{\"user\":\"ann\",\"session\":\"s1\"}")),
        "protocol",
        "protocol: expected a string, got nothing");
  }

  // --- room.join

  @Test
  void joinWithAndWithoutSince() {
    assertThat(JoinParams.from(json("{\"room\":\"lobby\"}"))).isEqualTo(new JoinParams("lobby", null));
    assertThat(JoinParams.from(json("{\"room\":\"lobby\",\"since\":null}"))).isEqualTo(new JoinParams("lobby", null));
    assertThat(JoinParams.from(json("{\"room\":\"lobby\",\"since\":0}"))).isEqualTo(new JoinParams("lobby", 0L));
    assertThat(JoinParams.from(json("{\"since\":12,\"room\":\"lobby\",\"x\":true}")))
        .isEqualTo(new JoinParams("lobby", 12L));
  }

  @Test
  void joinWrongTypes() {
    assertInvalid(() -> JoinParams.from(json("{}")), "room", "room: expected a string, got nothing");
    assertInvalid(() -> JoinParams.from(json("{\"room\":7}")), "room", "room: expected a string, got 7");
    assertInvalid(
        () -> JoinParams.from(json("{\"room\":\"a\",\"since\":\"5\"}")), "since", "since: expected an integer, got \"5\"");
    assertInvalid(
        () -> JoinParams.from(json("{\"room\":\"a\",\"since\":1.5}")), "since", "since: expected an integer, got 1.5");
    assertInvalid(() -> JoinParams.from(null), "params", "params: expected an object, got nothing");
    assertInvalid(() -> JoinParams.from(json("\"lobby\"")), "params", "params: expected an object, got \"lobby\"");
  }

  @Test
  void joinResult() {
    JoinResult result =
        JoinResult.from(
            json("{\"room\":\"lobby\",\"seq\":3,\"members\":[\"ann\",\"bob\"],\"missed\":[" + MESSAGE + "],\"truncated\":false}"));
    assertThat(result)
        .isEqualTo(
            new JoinResult("lobby", 3, List.of("ann", "bob"), List.of(new Message("lobby", 3, "ann", "hi", TS, null)), false,
                0));
    assertThat(JoinResult.from(json("{\"room\":\"lobby\",\"seq\":3,\"members\":[],\"missed\":[],\"truncated\":false,"
        + "\"lastRead\":2}")).lastRead()).as("1.1 adds lastRead; a 1.0 server's answer reads as 0").isEqualTo(2);
    assertInvalid(
        () -> JoinResult.from(json("{\"room\":\"lobby\",\"seq\":3,\"members\":[],\"missed\":[]}")),
        "truncated",
        "truncated: expected a boolean, got nothing");
    assertInvalid(
        () -> JoinResult.from(json("{\"room\":\"lobby\",\"seq\":3,\"members\":[1],\"missed\":[],\"truncated\":true}")),
        "members",
        "members: expected a string, got 1");
    assertInvalid(
        () -> JoinResult.from(json("{\"room\":\"lobby\",\"seq\":3,\"members\":\"ann\",\"missed\":[],\"truncated\":true}")),
        "members",
        "members: expected an array, got \"ann\"");
  }

  // --- chat.history

  @Test
  void historyOptionalIntegers() {
    assertThat(HistoryParams.from(json("{\"room\":\"lobby\"}"))).isEqualTo(new HistoryParams("lobby", null, null, null));
    assertThat(HistoryParams.from(json("{\"room\":\"lobby\",\"before\":10,\"after\":null,\"limit\":20}")))
        .isEqualTo(new HistoryParams("lobby", 10L, null, 20));
    assertThat(HistoryParams.from(json("{\"room\":\"lobby\",\"after\":4}")))
        .isEqualTo(new HistoryParams("lobby", null, 4L, null));
  }

  @Test
  void historyWrongTypes() {
    assertInvalid(
        () -> HistoryParams.from(json("{\"room\":\"a\",\"limit\":\"10\"}")), "limit", "limit: expected an integer, got \"10\"");
    assertInvalid(
        () -> HistoryParams.from(json("{\"room\":\"a\",\"before\":2.5}")), "before", "before: expected an integer, got 2.5");
    assertInvalid(
        () -> HistoryParams.from(json("{\"room\":\"a\",\"after\":false}")), "after", "after: expected an integer, got false");
    assertInvalid(() -> HistoryParams.from(json("{\"limit\":5}")), "room", "room: expected a string, got nothing");
  }

  @Test
  void historyLimitOutsideIntDoesNotWrapIntoTheValidRange() {
    // 2^32 + 50 would become 50 with a plain (int) cast
    Integer big = HistoryParams.from(json("{\"room\":\"a\",\"limit\":4294967346}")).limit();
    assertThat(big).isGreaterThan(HistoryParams.MAX_LIMIT);
    Integer negative = HistoryParams.from(json("{\"room\":\"a\",\"limit\":-4294967246}")).limit();
    assertThat(negative).isLessThan(1);
  }

  @Test
  void historyResult() {
    assertThat(HistoryResult.from(json("{\"messages\":[" + MESSAGE + "]}")))
        .isEqualTo(new HistoryResult(List.of(new Message("lobby", 3, "ann", "hi", TS, null))));
    assertThat(HistoryResult.from(json("{\"messages\":[]}")).messages()).isEmpty();
    assertThat(HistoryResult.from(json("{\"messages\":[]}")).truncated()).isFalse();
    assertThat(HistoryResult.from(json("{\"messages\":[],\"truncated\":true}")).truncated()).isTrue();
    assertInvalid(() -> HistoryResult.from(json("{\"messages\":[],\"truncated\":1}")), "truncated",
        "truncated: expected a boolean, got 1");
    assertInvalid(() -> HistoryResult.from(json("{}")), "messages", "messages: expected an array, got nothing");
  }

  // --- room.leave, room.members

  @Test
  void roomParams() {
    assertThat(RoomParams.from(json("{\"room\":\"lobby\",\"since\":3}"))).isEqualTo(new RoomParams("lobby"));
    assertInvalid(() -> RoomParams.from(json("{\"room\":null}")), "room", "room: expected a string, got nothing");
    assertInvalid(() -> RoomParams.from(json("{\"room\":[\"a\"]}")), "room", "room: expected a string, got [\"a\"]");
  }

  @Test
  void membersResult() {
    assertThat(MembersResult.from(json("{\"room\":\"lobby\",\"members\":[\"ann\"]}")))
        .isEqualTo(new MembersResult("lobby", List.of("ann")));
    assertInvalid(
        () -> MembersResult.from(json("{\"room\":\"lobby\",\"members\":[null]}")),
        "members",
        "members: expected a string, got null");
  }

  // --- chat.send and Message

  @Test
  void sendParams() {
    assertThat(SendParams.from(json("{\"room\":\"lobby\",\"text\":\"hi\"}"))).isEqualTo(new SendParams("lobby", "hi", null));
    assertThat(SendParams.from(json("{\"room\":\"lobby\",\"text\":\"hi\",\"clientId\":\"c-1\",\"ts\":1}")))
        .isEqualTo(new SendParams("lobby", "hi", "c-1"));
    assertInvalid(() -> SendParams.from(json("{\"room\":\"lobby\"}")), "text", "text: expected a string, got nothing");
    assertInvalid(() -> SendParams.from(json("{\"room\":\"lobby\",\"text\":5}")), "text", "text: expected a string, got 5");
    assertInvalid(
        () -> SendParams.from(json("{\"room\":\"lobby\",\"text\":\"hi\",\"clientId\":5}")),
        "clientId",
        "clientId: expected a string, got 5");
  }

  @Test
  void message() {
    assertThat(Message.from(json(MESSAGE))).isEqualTo(new Message("lobby", 3, "ann", "hi", TS, null));
    assertThat(Message.from(json(MESSAGE.replace("}", ",\"clientId\":\"c\",\"extra\":true}"))))
        .isEqualTo(new Message("lobby", 3, "ann", "hi", TS, "c"));
    assertInvalid(() -> Message.from(json(MESSAGE.replace("\"seq\":3", "\"seq\":\"3\""))), "seq", "seq: expected an integer, got \"3\"");
    assertInvalid(() -> Message.from(json(MESSAGE.replace("\"seq\":3", "\"seq\":3.5"))), "seq", "seq: expected an integer, got 3.5");
    assertInvalid(
        () -> Message.from(json(MESSAGE.replace(",\"ts\":\"" + TS + "\"", ""))), "ts", "ts: expected a string, got nothing");
  }

  @Test
  void aDirectMessageCarriesToAndARoomMessageTravelsAsIn10() {
    Message room = new Message("lobby", 3, "ann", "hi", TS, null);
    assertThat(Json.write(Json.toTree(room))).as("no to member").isEqualTo(MESSAGE);
    Message direct = room.withTo("bob");
    String wire = Json.write(Json.toTree(direct));
    assertThat(wire).isEqualTo(MESSAGE.replace("}", ",\"to\":\"bob\"}"));
    assertThat(Message.from(json(wire))).isEqualTo(direct);
    assertThat(DmSendParams.from(json("{\"to\":\"bob\",\"text\":\"hi\"}"))).isEqualTo(new DmSendParams("bob", "hi", null));
    assertInvalid(() -> DmSendParams.from(json("{\"text\":\"hi\"}")), "to", "to: expected a string, got nothing");
    assertThat(DmListParams.from(null)).isEqualTo(new DmListParams(null));
    assertThat(DmListParams.from(json("{\"limit\":5}"))).isEqualTo(new DmListParams(5));
    String list = "{\"conversations\":[{\"room\":\"dm.x\",\"with\":\"bob\",\"seq\":4,\"lastRead\":2}]}";
    DmListResult result = DmListResult.from(json(list));
    assertThat(result.conversations()).containsExactly(new Conversation("dm.x", "bob", 4, 2));
    assertThat(Json.write(Json.toTree(result))).isEqualTo(list);
  }

  @Test
  void timestampsReadAsInstantsAndTravelUnchanged() {
    Message message = Message.from(json(MESSAGE));
    assertThat(message.time()).isEqualTo(Instant.ofEpochSecond(1_795_342_530L, 123_000_000));
    assertThat(Json.write(Json.toTree(message))).as("no time member, ts as it came").isEqualTo(MESSAGE);
    String note = "{\"from\":\"ann\",\"text\":\"all\",\"ts\":\"2026-01-01T00:00:00.000Z\"}";
    BroadcastNote broadcast = BroadcastNote.from(json(note));
    assertThat(broadcast.time()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(Json.write(Json.toTree(broadcast))).isEqualTo(note);
  }

  // --- broadcast and presence

  @Test
  void broadcastTypes() {
    assertThat(BroadcastParams.from(json("{\"text\":\"all\"}"))).isEqualTo(new BroadcastParams("all"));
    assertInvalid(() -> BroadcastParams.from(json("{\"txt\":\"all\"}")), "text", "text: expected a string, got nothing");
    assertThat(BroadcastResult.from(json("{\"delivered\":4}"))).isEqualTo(new BroadcastResult(4));
    assertInvalid(
        () -> BroadcastResult.from(json("{\"delivered\":\"4\"}")), "delivered", "delivered: expected an integer, got \"4\"");
    assertThat(BroadcastNote.from(json("{\"from\":\"ann\",\"text\":\"all\",\"ts\":\"" + TS + "\"}")))
        .isEqualTo(new BroadcastNote("ann", "all", TS));
    assertInvalid(
        () -> BroadcastNote.from(json("{\"from\":\"ann\",\"text\":\"all\"}")), "ts", "ts: expected a string, got nothing");
  }

  @Test
  void presenceEvent() {
    assertThat(PresenceEvent.from(json("{\"room\":\"lobby\",\"user\":\"bob\"}"))).isEqualTo(new PresenceEvent("lobby", "bob"));
    assertInvalid(() -> PresenceEvent.from(json("{\"room\":\"lobby\"}")), "user", "user: expected a string, got nothing");
  }

  // --- helpers

  private static JsonElement json(String text) {
    try {
      return StrictJsonParser.parse(text, RpcCodec.MAX_DEPTH);
    } catch (StrictJsonParser.Failure e) {
      throw new AssertionError("test JSON does not parse: " + text, e);
    }
  }

  private static void assertInvalid(ThrowingSupplier<?> call, String field, String message) {
    RpcException e = catchThrowableOfType(RpcException.class, () -> call.get());
    assertThat(e).as("expected an RpcException naming %s", field).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    assertThat(e.error().data()).isEqualTo(Json.object("field", field));
    assertThat(e.error().message()).isEqualTo(message);
  }
}
