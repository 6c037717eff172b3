package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.parley.protocol.internal.Json;
import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.BroadcastParams;
import io.parley.protocol.types.BroadcastResult;
import io.parley.protocol.types.HelloParams;
import io.parley.protocol.types.HelloResult;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.HistoryResult;
import io.parley.protocol.types.JoinParams;
import io.parley.protocol.types.JoinResult;
import io.parley.protocol.types.MembersResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.PresenceEvent;
import io.parley.protocol.types.RoomParams;
import io.parley.protocol.types.SendParams;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The typed descriptors (Methods, Notifications): wire names, and write-then-read round trips with null members omitted. */
class MethodsTest {
  private static final String TS = "2026-11-22T10:15:30.123Z";
  private static final Message WITH_CLIENT_ID = new Message("lobby", 5, "ann", "hi", TS, "c-1");
  private static final Message WITHOUT_CLIENT_ID = new Message("lobby", 6, "bob", "yo", TS, null);

  @Test
  void wireNamesAreTheContractsInItsOrder() {
    assertThat(Methods.ALL.stream().map(RpcMethod::name))
        .containsExactly(
            "echo", "session.hello", "room.join", "room.leave", "room.members", "chat.send", "chat.history",
            "broadcast", "chat.typing", "room.read", "room.info", "dm.send", "dm.list", "chat.edit", "chat.delete", "chat.react", "chat.changes",
            "rpc.discover");
    assertThat(Notifications.CHAT_MESSAGE.name()).isEqualTo("chat.message");
    assertThat(Notifications.ROOM_JOINED.name()).isEqualTo("room.joined");
    assertThat(Notifications.ROOM_LEFT.name()).isEqualTo("room.left");
    assertThat(Notifications.BROADCAST.name()).isEqualTo("broadcast");
    assertThat(Notifications.CHAT_TYPING.name()).isEqualTo("chat.typing");
    assertThat(Notifications.ROOM_READ.name()).isEqualTo("room.read");
    assertThat(Methods.DISCOVER.name()).startsWith(Methods.RESERVED_PREFIX);
  }

  @Test
  void sendResultRoundTrips() {
    JsonElement tree = Methods.SEND.writeResult(WITH_CLIENT_ID);
    assertThat(Json.write(tree))
        .isEqualTo("{\"room\":\"lobby\",\"seq\":5,\"from\":\"ann\",\"text\":\"hi\",\"ts\":\"" + TS + "\",\"clientId\":\"c-1\"}");
    assertThat(Methods.SEND.readResult(tree)).isEqualTo(WITH_CLIENT_ID);
  }

  @Test
  void nullClientIdIsOmitted() {
    JsonElement tree = Methods.SEND.writeResult(WITHOUT_CLIENT_ID);
    assertThat(tree.getAsJsonObject().has("clientId")).isFalse();
    assertThat(Json.write(tree))
        .isEqualTo("{\"room\":\"lobby\",\"seq\":6,\"from\":\"bob\",\"text\":\"yo\",\"ts\":\"" + TS + "\"}");
    assertThat(Methods.SEND.readResult(tree)).isEqualTo(WITHOUT_CLIENT_ID);
  }

  @Test
  void resultRoundTripsThroughTheCodec() {
    Message message = new Message("lobby", 9_007_199_254_740_993L, "zoë", "<b>&'😀</b>", TS, null);
    String frame = RpcCodec.encode(Response.success(new JsonPrimitive(1), Methods.SEND.writeResult(message)));
    assertThat(frame).contains("\"seq\":9007199254740993,").contains("\"text\":\"<b>&'😀</b>\"");
    Incoming incoming = RpcCodec.decodeFromServer(frame);
    Response response = (Response) ((Entry.Valid) ((Incoming.Single) incoming).entry()).message();
    assertThat(Methods.SEND.readResult(response.result())).isEqualTo(message);
  }

  @Test
  void paramsRoundTripWithNullsOmitted() {
    assertRoundTrip(Methods.HELLO, new HelloParams("ann", null), "{\"name\":\"ann\"}");
    assertRoundTrip(Methods.HELLO, new HelloParams(null, null), "{}");
    assertRoundTrip(Methods.JOIN, new JoinParams("lobby", null), "{\"room\":\"lobby\"}");
    assertRoundTrip(Methods.JOIN, new JoinParams("lobby", 42L), "{\"room\":\"lobby\",\"since\":42}");
    assertRoundTrip(Methods.LEAVE, new RoomParams("lobby"), "{\"room\":\"lobby\"}");
    assertRoundTrip(Methods.MEMBERS, new RoomParams("lobby"), "{\"room\":\"lobby\"}");
    assertRoundTrip(Methods.SEND, new SendParams("lobby", "hi", null), "{\"room\":\"lobby\",\"text\":\"hi\"}");
    assertRoundTrip(
        Methods.SEND, new SendParams("lobby", "hi", "c"), "{\"room\":\"lobby\",\"text\":\"hi\",\"clientId\":\"c\"}");
    assertRoundTrip(Methods.HISTORY, new HistoryParams("lobby", null, null, null), "{\"room\":\"lobby\"}");
    assertRoundTrip(
        Methods.HISTORY, new HistoryParams("lobby", 10L, null, 20), "{\"room\":\"lobby\",\"before\":10,\"limit\":20}");
    assertRoundTrip(Methods.BROADCAST, new BroadcastParams("all"), "{\"text\":\"all\"}");
  }

  @Test
  void resultsRoundTrip() {
    HelloResult hello = new HelloResult("ann", "s-1", HelloResult.PROTOCOL);
    assertThat(Methods.HELLO.readResult(Methods.HELLO.writeResult(hello))).isEqualTo(hello);
    JoinResult join = new JoinResult("lobby", 6, List.of("ann", "bob"), List.of(WITH_CLIENT_ID, WITHOUT_CLIENT_ID), true, 4);
    assertThat(Methods.JOIN.readResult(Methods.JOIN.writeResult(join))).isEqualTo(join);
    assertThat(Json.write(Methods.JOIN.writeResult(new JoinResult("lobby", 0, List.of(), List.of(), false, 0))))
        .isEqualTo("{\"room\":\"lobby\",\"seq\":0,\"members\":[],\"missed\":[],\"truncated\":false,\"lastRead\":0,"
            + "\"rev\":0}");
    MembersResult members = new MembersResult("lobby", List.of("ann"));
    assertThat(Methods.MEMBERS.readResult(Methods.MEMBERS.writeResult(members))).isEqualTo(members);
    RoomParams left = new RoomParams("lobby");
    assertThat(Methods.LEAVE.readResult(Methods.LEAVE.writeResult(left))).isEqualTo(left);
    HistoryResult history = new HistoryResult(List.of(WITH_CLIENT_ID));
    assertThat(Methods.HISTORY.readResult(Methods.HISTORY.writeResult(history))).isEqualTo(history);
    assertThat(Json.write(Methods.HISTORY.writeResult(new HistoryResult(List.of(), true))))
        .isEqualTo("{\"messages\":[],\"truncated\":true}");
    BroadcastResult delivered = new BroadcastResult(3);
    assertThat(Json.write(Methods.BROADCAST.writeResult(delivered))).isEqualTo("{\"delivered\":3}");
    assertThat(Methods.BROADCAST.readResult(Methods.BROADCAST.writeResult(delivered))).isEqualTo(delivered);
  }

  @Test
  void notificationsRoundTrip() {
    Notification note = Notifications.CHAT_MESSAGE.toMessage(WITHOUT_CLIENT_ID);
    assertThat(note.method()).isEqualTo("chat.message");
    assertThat(Notifications.CHAT_MESSAGE.readParams(note.params())).isEqualTo(WITHOUT_CLIENT_ID);
    PresenceEvent joined = new PresenceEvent("lobby", "bob");
    assertThat(RpcCodec.encode(Notifications.ROOM_JOINED.toMessage(joined)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"room.joined\",\"params\":{\"room\":\"lobby\",\"user\":\"bob\"}}");
    assertThat(Notifications.ROOM_LEFT.readParams(Notifications.ROOM_LEFT.toMessage(joined).params())).isEqualTo(joined);
    BroadcastNote broadcast = new BroadcastNote("ann", "all", TS);
    assertThat(Notifications.BROADCAST.readParams(Notifications.BROADCAST.toMessage(broadcast).params()))
        .isEqualTo(broadcast);
  }

  @Test
  void echoTakesAnyObjectOrArrayUnchanged() {
    JsonElement params = JsonParser.parseString("{\"a\":[1,null,{\"b\":\"c\"}]}");
    assertThat(Methods.ECHO.readParams(params)).isSameAs(params);
    assertThat(Methods.ECHO.writeResult(params)).isSameAs(params);
    JsonElement array = JsonParser.parseString("[]");
    assertThat(Methods.ECHO.readParams(array)).isSameAs(array);
  }

  @Test
  void echoRefusesOtherParams() {
    for (JsonElement params : new JsonElement[] {null, new JsonPrimitive("x"), new JsonPrimitive(5)}) {
      RpcException e = catchThrowableOfType(RpcException.class, () -> Methods.ECHO.readParams(params));
      assertThat(e).as("params %s", params).isNotNull();
      assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
      assertThat(e.error().data()).isEqualTo(Json.object("field", "params"));
      assertThat(e.error().message()).startsWith("params: expected an object or an array, got ");
    }
  }

  private static <P> void assertRoundTrip(RpcMethod<P, ?> method, P params, String json) {
    JsonElement tree = method.writeParams(params);
    assertThat(Json.write(tree)).as("%s params", method.name()).isEqualTo(json);
    assertThat(method.readParams(tree)).isEqualTo(params);
  }
}
