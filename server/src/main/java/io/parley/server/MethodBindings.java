package io.parley.server;

import com.google.gson.JsonElement;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.protocol.Methods;
import io.parley.protocol.RpcMethod;
import io.parley.protocol.JsonText;
import io.parley.server.auth.SessionGuard;
import io.parley.server.backend.Backend;
import io.parley.server.chat.BlockingWork;
import io.parley.server.chat.ChangeMethods;
import io.parley.server.chat.DirectRooms;
import io.parley.server.chat.DmMethods;
import io.parley.server.chat.GroupCommitter;
import io.parley.server.chat.MessageMethods;
import io.parley.server.chat.ReadMethods;
import io.parley.server.chat.RoomInfoMethods;
import io.parley.server.chat.RoomMethods;
import io.parley.server.chat.SessionMethods;
import io.parley.server.chat.TypingMethods;
import io.parley.server.hub.Broker;
import io.parley.server.hub.Hub;
import io.parley.server.hub.Presence;
import io.parley.server.chat.TextRule;
import io.parley.server.config.ServerConfig;
import io.parley.server.rpc.MethodTable;
import io.parley.server.rpc.RpcDispatcher;
import io.parley.server.limits.LimitMetrics;
import io.parley.server.rpc.RpcMetrics;
import io.parley.server.ws.ClientSession;
import io.parley.sql.MessageStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** Binds each method of the contract to its handler: the server's whole API in one table. */
final class MethodBindings {
  private final RoomMethods rooms;
  private final MessageMethods messages;
  private final SessionMethods session;
  private final TypingMethods typing;
  private final RoomInfoMethods info;
  private final ReadMethods reads;
  private final DmMethods dms;
  private final ChangeMethods changes;
  private final JsonElement openRpc;
  private final int maxBatch;
  private final LimitMetrics limits;

  MethodBindings(ServerConfig config, MessageStore store, Hub hub, BlockingWork blocking, GroupCommitter committer,
      Broker broker, Presence presence, Clock clock, SessionGuard guard, LimitMetrics limits, Backend backend) {
    TextRule textRule = new TextRule(config.maxText());
    this.limits = limits;
    DirectRooms direct = new DirectRooms(store, blocking);
    this.rooms = new RoomMethods(hub, store, blocking, broker, presence, config.maxRoomsPerSession(), limits, direct);
    this.messages = new MessageMethods(committer, rooms, store, blocking, textRule, direct, backend.publish());
    this.dms = new DmMethods(committer, direct, store, blocking, textRule, backend.publish());
    this.session = new SessionMethods(broker, textRule, clock, guard, backend.connect());
    this.typing = new TypingMethods(hub, presence, System::nanoTime);
    this.info = new RoomInfoMethods(hub, rooms, presence, store, blocking);
    this.reads = new ReadMethods(hub, presence, store, blocking);
    this.changes = new ChangeMethods(rooms, store, blocking, broker, textRule, direct);
    this.openRpc = loadOpenRpc();
    this.maxBatch = config.maxBatch();
  }

  RpcDispatcher dispatcher(MeterRegistry registry) {
    MethodTable table = new MethodTable()
        .add(Methods.ECHO, (context, params) -> CompletableFuture.completedFuture(params))
        .addSessionOnly(Methods.HELLO, session::hello)
        .addSessionOnly(Methods.JOIN, rooms::join)
        .addSessionOnly(Methods.LEAVE, rooms::leave)
        .addSessionOnly(Methods.MEMBERS, rooms::members)
        .add(Methods.SEND, messages::send)
        .add(Methods.HISTORY, messages::history)
        .add(Methods.BROADCAST, session::broadcast)
        .addSessionOnly(Methods.TYPING, typing::typing)
        .addSessionOnly(Methods.READ, reads::read)
        .add(Methods.INFO, info::info)
        .addSessionOnly(Methods.DM_SEND, dms::send)
        .addSessionOnly(Methods.DM_LIST, dms::list)
        .add(Methods.EDIT, changes::edit)
        .add(Methods.DELETE, changes::delete)
        .add(Methods.REACT, changes::react)
        .add(Methods.CHANGES, changes::changes)
        .add(Methods.DISCOVER, (context, params) -> CompletableFuture.completedFuture(openRpc))
        .openBeforeAuthentication(Methods.HELLO, Methods.DISCOVER);
    var names = Methods.ALL.stream().map(RpcMethod::name).collect(Collectors.toSet());
    return new RpcDispatcher(table, maxBatch, new RpcMetrics(registry, names), limits);
  }

  MessageMethods messages() {
    return messages;
  }

  void disconnected(ClientSession clientSession) {
    rooms.disconnected(clientSession);
  }

  private static JsonElement loadOpenRpc() {
    try (InputStream in = MethodBindings.class.getResourceAsStream("/openrpc.json")) {
      if (in == null) {
        throw new IllegalStateException("openrpc.json is missing from the server jar");
      }
      return JsonText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (JsonText.Invalid e) {
      throw new IllegalStateException("openrpc.json is not valid JSON: " + e.getMessage(), e);
    }
  }
}
