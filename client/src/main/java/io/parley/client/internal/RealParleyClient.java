package io.parley.client.internal;

import com.google.gson.JsonElement;
import io.parley.client.ConnectionClosedException;
import io.parley.client.ConnectionState;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.Registration;
import io.parley.protocol.CloseCodes;
import io.parley.protocol.JsonText;
import io.parley.protocol.Methods;
import io.parley.protocol.RpcMethod;
import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.ChangeResult;
import io.parley.protocol.types.ChangesParams;
import io.parley.protocol.types.ChangesResult;
import io.parley.protocol.types.EditParams;
import io.parley.protocol.types.MessageRef;
import io.parley.protocol.types.ReactParams;
import io.parley.protocol.types.BroadcastParams;
import io.parley.protocol.types.HelloParams;
import io.parley.protocol.types.HelloResult;
import io.parley.protocol.types.HistoryParams;
import io.parley.protocol.types.HistoryResult;
import io.parley.protocol.types.Message;
import io.parley.protocol.types.Conversation;
import io.parley.protocol.types.DmListParams;
import io.parley.protocol.types.DmSendParams;
import io.parley.protocol.types.ReadParams;
import io.parley.protocol.types.RoomInfo;
import io.parley.protocol.types.RoomParams;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link ParleyClient}: checks arguments on the caller's thread, then hands each request to
 * the core thread ({@link Connector}, {@link Membership}) and each answer to the event thread.
 * Holds no state of its own beyond the wiring.
 */
public final class RealParleyClient implements ParleyClient {
  private final Scheduler core;
  private final Events events;
  private final CallQueue calls;
  private final Connector connector;
  private final Membership membership;
  private final EventStream<BroadcastNote> broadcasts;

  RealParleyClient(ClientConfig config, Scheduler core, Executor eventThread, Function<ReadGate, Transport> transport) {
    ReadGate gate = new ReadGate(1024, 256);
    this.core = core;
    this.events = new Events(eventThread, gate);
    this.broadcasts = new EventStream<>(events, config.streamBuffer(), "broadcasts");
    Rooms rooms = new Rooms();
    this.connector = new Connector(config, core, transport.apply(gate), events, gate, rooms, broadcasts);
    this.calls = connector.calls();
    this.membership = new Membership(connector, rooms, events, this, config.streamBuffer());
  }

  /**
   * A client on the real threads and Jetty of {@code shared}, holding one use of them (taken by
   * the caller) that its close gives back.
   */
  public static ParleyClient create(ClientConfig config, SharedResources shared) {
    return new RealParleyClient(config, shared.newScheduler(), shared.newEventLane(),
        gate -> shared.newTransport(gate, config.compression()));
  }

  @Override
  public CompletableFuture<HelloResult> connect() {
    core.execute(connector::start);
    return connector.opened().copy();
  }

  @Override
  public ConnectionState state() {
    return connector.state();
  }

  @Override
  public String user() {
    return connector.user();
  }

  @Override
  public <P, R> CompletableFuture<R> call(RpcMethod<P, R> method, P params) {
    Args.method(method == null ? null : method.name());
    JsonElement json = params == null ? null : method.writeParams(params);
    return raw(method.name(), json, method::readResult);
  }

  @Override
  public CompletableFuture<String> call(String method, String paramsJson) {
    Args.method(method);
    JsonElement params = paramsJson == null ? null : Args.json("params", paramsJson);
    return raw(method, params, JsonText::write);
  }

  private <R> CompletableFuture<R> raw(String method, JsonElement params, Function<JsonElement, R> reader) {
    JsonElement sent = Methods.SEND.name().equals(method) ? Args.withClientId(params) : params;
    return submit(method, sent, reader);
  }

  @Override
  public CompletableFuture<String> echo(String json) {
    return submit(Methods.ECHO.name(), Args.objectOrArray(Args.json("echo", json)), JsonText::write);
  }

  @Override
  public CompletableFuture<HelloResult> hello(String name) {
    return submit(Methods.HELLO.name(), Methods.HELLO.writeParams(new HelloParams(Args.user(name), null)),
        Methods.HELLO::readResult);
  }

  @Override
  public CompletableFuture<JoinedRoom> join(String room) {
    return startJoin(Args.room(room), null, null);
  }

  @Override
  public CompletableFuture<JoinedRoom> join(String room, long since) {
    return startJoin(Args.room(room), Args.since(since), null);
  }

  @Override
  public CompletableFuture<JoinedRoom> join(String room, long since, long sinceRev) {
    return startJoin(Args.room(room), Args.since(since), Args.rev("sinceRev", sinceRev));
  }

  /** Not an overload of join: with a long argument, join(room, since) called itself forever. */
  private CompletableFuture<JoinedRoom> startJoin(String room, Long since, Long sinceRev) {
    CompletableFuture<JoinedRoom> handle = new CompletableFuture<>();
    if (!core.execute(() -> membership.join(room, since, sinceRev).whenComplete(Args.into(handle)))) {
      handle.completeExceptionally(closed());
    }
    return handle;
  }

  @Override
  public CompletableFuture<Void> leave(String room) {
    String name = Args.room(room);
    return run(() -> membership.leave(name), json -> null);
  }

  @Override
  public CompletableFuture<Long> markRead(String room, long seq) {
    return submit(Methods.READ.name(), Methods.READ.writeParams(new ReadParams(Args.room(room), Args.seq(seq))),
        json -> Methods.READ.readResult(json).seq());
  }

  @Override
  public CompletableFuture<Void> typing(String room) {
    return submit(Methods.TYPING.name(), Methods.TYPING.writeParams(new RoomParams(Args.room(room))), json -> null);
  }

  @Override
  public CompletableFuture<RoomInfo> info(String room) {
    return submit(Methods.INFO.name(), Methods.INFO.writeParams(new RoomParams(Args.room(room))),
        Methods.INFO::readResult);
  }

  @Override
  public CompletableFuture<Message> sendDirect(String to, String text) {
    DmSendParams params = new DmSendParams(Args.user(to), Args.text(text), Args.newClientId());
    return submit(Methods.DM_SEND.name(), Methods.DM_SEND.writeParams(params), Methods.DM_SEND::readResult);
  }

  @Override
  public CompletableFuture<List<Conversation>> conversations(int limit) {
    return submit(Methods.DM_LIST.name(), Methods.DM_LIST.writeParams(new DmListParams(Args.listLimit(limit))),
        json -> Methods.DM_LIST.readResult(json).conversations());
  }

  @Override
  public Flow.Publisher<Message> directMessages() {
    return connector.directMessages();
  }

  @Override
  public Registration onDirect(Consumer<Message> listener) {
    return connector.directMessages().listen(listener);
  }

  @Override
  public Flow.Publisher<Change> directChanges() {
    return connector.directChanges();
  }

  @Override
  public Registration onDirectChange(Consumer<Change> listener) {
    return connector.directChanges().listen(listener);
  }

  @Override
  public CompletableFuture<ChangeResult> edit(String room, long seq, String text) {
    EditParams params = new EditParams(Args.room(room), Args.messageSeq(seq), Args.text(text));
    return submit(Methods.EDIT.name(), Methods.EDIT.writeParams(params), Methods.EDIT::readResult);
  }

  @Override
  public CompletableFuture<ChangeResult> delete(String room, long seq) {
    MessageRef params = new MessageRef(Args.room(room), Args.messageSeq(seq));
    return submit(Methods.DELETE.name(), Methods.DELETE.writeParams(params), Methods.DELETE::readResult);
  }

  @Override
  public CompletableFuture<ChangeResult> react(String room, long seq, String emoji, boolean on) {
    ReactParams params = new ReactParams(Args.room(room), Args.messageSeq(seq), Args.emoji(emoji), on);
    return submit(Methods.REACT.name(), Methods.REACT.writeParams(params), Methods.REACT::readResult);
  }

  @Override
  public CompletableFuture<ChangesResult> changes(String room, long afterRev, int limit) {
    ChangesParams params = new ChangesParams(Args.room(room), Args.rev("afterRev", afterRev), Args.listLimit(limit));
    return submit(Methods.CHANGES.name(), Methods.CHANGES.writeParams(params), Methods.CHANGES::readResult);
  }

  @Override
  public CompletableFuture<List<String>> members(String room) {
    return submit(Methods.MEMBERS.name(), Methods.MEMBERS.writeParams(new RoomParams(Args.room(room))),
        json -> Methods.MEMBERS.readResult(json).members());
  }

  @Override
  public CompletableFuture<Message> send(String room, String text) {
    return send(room, text, null);
  }

  @Override
  public CompletableFuture<Message> send(String room, String text, String clientId) {
    return submit(Methods.SEND.name(), Methods.SEND.writeParams(Args.send(room, text, clientId)),
        Methods.SEND::readResult);
  }

  @Override
  public CompletableFuture<List<Message>> history(HistoryParams query) {
    return submit(Methods.HISTORY.name(), Methods.HISTORY.writeParams(Args.history(query)),
        json -> Methods.HISTORY.readResult(json).messages());
  }

  @Override
  public CompletableFuture<HistoryResult> historyPage(HistoryParams query) {
    return submit(Methods.HISTORY.name(), Methods.HISTORY.writeParams(Args.history(query)),
        Methods.HISTORY::readResult);
  }

  @Override
  public CompletableFuture<Long> broadcast(String text) {
    return submit(Methods.BROADCAST.name(), Methods.BROADCAST.writeParams(new BroadcastParams(Args.text(text))),
        json -> Methods.BROADCAST.readResult(json).delivered());
  }

  @Override
  public CompletableFuture<String> discover() {
    return submit(Methods.DISCOVER.name(), null, json -> JsonText.write(Args.object(json)));
  }

  @Override
  public Flow.Publisher<BroadcastNote> broadcasts() {
    return broadcasts;
  }

  @Override
  public Registration onBroadcast(Consumer<BroadcastNote> listener) {
    return broadcasts.listen(listener);
  }

  @Override
  public int callsInFlight() {
    return calls.inFlight();
  }

  @Override
  public int callsWaiting() {
    return calls.waiting();
  }

  @Override
  public void close() {
    core.execute(connector::close);
  }

  private <R> CompletableFuture<R> submit(String method, JsonElement params, Function<JsonElement, R> reader) {
    boolean hello = Methods.HELLO.name().equals(method);
    return run(() -> {
      Call call = Call.user(method, params, Args.isRepeatable(method));
      connector.submit(call);
      return call;
    }, hello ? json -> connector.named(Methods.HELLO.readResult(json).user()) : json -> {}, reader);
  }

  private <R> CompletableFuture<R> run(Supplier<Call> onCore, Function<JsonElement, R> reader) {
    return run(onCore, json -> {}, reader);
  }

  /**
   * Makes the call on the core thread; {@code onSuccess} runs there first (so client state is up to
   * date before anyone hears of it), then the outcome reaches the caller on the event thread.
   */
  private <R> CompletableFuture<R> run(Supplier<Call> onCore, Consumer<JsonElement> onSuccess,
      Function<JsonElement, R> reader) {
    CompletableFuture<R> answer = new CompletableFuture<>();
    boolean accepted = core.execute(() -> {
      Call call = onCore.get();
      call.result.whenComplete((json, failure) -> {
        if (failure == null) {
          try {
            onSuccess.accept(json);
          } catch (RuntimeException ignored) {
            // a malformed result: the reader below reports it to the caller
          }
        }
        events.post(() -> {
          if (failure != null) {
            answer.completeExceptionally(failure);
            return;
          }
          try {
            answer.complete(reader.apply(json));
          } catch (RuntimeException e) {
            answer.completeExceptionally(Failures.toPublic(e));
          }
        });
      });
      answer.whenComplete((value, failure) -> {
        if (failure instanceof CancellationException) {
          core.execute(() -> connector.abandon(call, failure));
        }
      });
    });
    if (!accepted) {
      answer.completeExceptionally(closed());
    }
    return answer;
  }

  private ConnectionClosedException closed() {
    return new ConnectionClosedException(CloseCodes.NORMAL, "client is " + connector.state());
  }
}
