package io.parley.protocol;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.Json;
import io.parley.protocol.types.BroadcastParams;
import io.parley.protocol.types.BroadcastResult;
import io.parley.protocol.types.ChangeResult;
import io.parley.protocol.types.ChangesParams;
import io.parley.protocol.types.ChangesResult;
import io.parley.protocol.types.DmListParams;
import io.parley.protocol.types.DmListResult;
import io.parley.protocol.types.DmSendParams;
import io.parley.protocol.types.EditParams;
import io.parley.protocol.types.HelloParams;
import io.parley.protocol.types.HelloResult;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.HistoryResult;
import io.parley.protocol.types.JoinParams;
import io.parley.protocol.types.JoinResult;
import io.parley.protocol.types.MembersResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.MessageRef;
import io.parley.protocol.types.ReactParams;
import io.parley.protocol.types.ReadParams;
import io.parley.protocol.types.RoomInfo;
import io.parley.protocol.types.RoomParams;
import io.parley.protocol.types.SendParams;
import java.util.List;
import java.util.function.Function;

/** Every method of the contract, by its wire name. */
public final class Methods {
  public static final RpcMethod<JsonElement, JsonElement> ECHO =
      new RpcMethod<>("echo", Methods::objectOrArray, Function.identity());
  public static final RpcMethod<HelloParams, HelloResult> HELLO =
      new RpcMethod<>("session.hello", HelloParams::from, HelloResult::from);
  public static final RpcMethod<JoinParams, JoinResult> JOIN =
      new RpcMethod<>("room.join", JoinParams::from, JoinResult::from);
  public static final RpcMethod<RoomParams, RoomParams> LEAVE =
      new RpcMethod<>("room.leave", RoomParams::from, RoomParams::from);
  public static final RpcMethod<RoomParams, MembersResult> MEMBERS =
      new RpcMethod<>("room.members", RoomParams::from, MembersResult::from);
  public static final RpcMethod<SendParams, Message> SEND =
      new RpcMethod<>("chat.send", SendParams::from, Message::from);
  public static final RpcMethod<HistoryParams, HistoryResult> HISTORY =
      new RpcMethod<>("chat.history", HistoryParams::from, HistoryResult::from);
  public static final RpcMethod<BroadcastParams, BroadcastResult> BROADCAST =
      new RpcMethod<>("broadcast", BroadcastParams::from, BroadcastResult::from);
  /** Contract 1.1: usually sent as a notification; with an id it answers the room. */
  public static final RpcMethod<RoomParams, RoomParams> TYPING =
      new RpcMethod<>("chat.typing", RoomParams::from, RoomParams::from);
  /** Contract 1.1: moves the caller's read position forward. */
  public static final RpcMethod<ReadParams, ReadParams> READ =
      new RpcMethod<>("room.read", ReadParams::from, ReadParams::from);
  /** Contract 1.1: a room's occupancy across all nodes. */
  public static final RpcMethod<RoomParams, RoomInfo> INFO =
      new RpcMethod<>("room.info", RoomParams::from, RoomInfo::from);
  /** Contract 1.1: a direct message to one user, stored in the pair's conversation room. */
  public static final RpcMethod<DmSendParams, Message> DM_SEND =
      new RpcMethod<>("dm.send", DmSendParams::from, Message::from);
  /** Contract 1.1: the caller's direct conversations, most recent first. */
  public static final RpcMethod<DmListParams, DmListResult> DM_LIST =
      new RpcMethod<>("dm.list", DmListParams::from, DmListResult::from);
  /** Contract 1.1: the author changes a message's text. */
  public static final RpcMethod<EditParams, ChangeResult> EDIT =
      new RpcMethod<>("chat.edit", EditParams::from, ChangeResult::from);
  /** Contract 1.1: the author (or a token's admin) deletes a message. */
  public static final RpcMethod<MessageRef, ChangeResult> DELETE =
      new RpcMethod<>("chat.delete", MessageRef::from, ChangeResult::from);
  /** Contract 1.1: a member adds or takes back a reaction. */
  public static final RpcMethod<ReactParams, ChangeResult> REACT =
      new RpcMethod<>("chat.react", ReactParams::from, ChangeResult::from);
  /** Contract 1.1: a page of a room's changes after a rev. */
  public static final RpcMethod<ChangesParams, ChangesResult> CHANGES =
      new RpcMethod<>("chat.changes", ChangesParams::from, ChangesResult::from);
  public static final RpcMethod<JsonElement, JsonElement> DISCOVER =
      new RpcMethod<>("rpc.discover", Function.identity(), Function.identity());

  /** All of them, in the order the contract lists them. */
  public static final List<RpcMethod<?, ?>> ALL =
      List.of(ECHO, HELLO, JOIN, LEAVE, MEMBERS, SEND, HISTORY, BROADCAST, TYPING, READ, INFO, DM_SEND, DM_LIST,
          EDIT, DELETE, REACT, CHANGES, DISCOVER);

  /** Method names starting with this are reserved by JSON-RPC 2.0. */
  public static final String RESERVED_PREFIX = "rpc.";

  private Methods() {}

  private static JsonElement objectOrArray(JsonElement params) {
    if (params != null && (params.isJsonObject() || params.isJsonArray())) {
      return params;
    }
    throw new RpcException(
        RpcError.invalidParams(
            "params", "params: expected an object or an array, got " + Json.brief(params)));
  }
}
