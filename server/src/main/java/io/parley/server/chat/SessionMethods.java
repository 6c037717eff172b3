package io.parley.server.chat;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.BroadcastNote;
import io.parley.protocol.types.BroadcastParams;
import io.parley.protocol.types.BroadcastResult;
import io.parley.protocol.types.HelloParams;
import io.parley.protocol.types.HelloResult;
import io.parley.server.auth.ConnectCheck;
import io.parley.server.auth.SessionGuard;
import io.parley.server.hub.Broker;
import io.parley.server.rpc.CallContext;
import io.parley.server.ws.ClientSession;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code session.hello} and {@code broadcast}. In open mode {@code hello} takes the {@code name}
 * as given; in token mode it hands the {@code token} to the {@link SessionGuard} (the user is the
 * token's {@code sub}, and {@code name} is ignored). With a connect proxy (issue #18), alone or
 * beside a JWT secret, a hello without a token, or whose token is refused while it carries {@code
 * credentials}, asks the proxy, and the guard admits the identity it answers; a hello without
 * token or credentials on a session already admitted is told who it is, without asking again.
 *
 * <p>One {@code session.hello} at a time per session while a connect proxy is configured: a hello
 * that comes while the session's previous one still waits for the proxy answers {@code -32005}
 * at once. Why: hello is served before authentication, so without this one unauthenticated
 * session could queue calls to the backend without end, and two admissions of one session could
 * race each other. Thread-safe: the sessions with a hello under way are a concurrent set.
 */
public final class SessionMethods {
  private final Broker broker;
  private final TextRule textRule;
  private final Clock clock;
  private final SessionGuard guard;
  private final ConnectCheck connect;
  /** Sessions whose hello waits for the connect proxy; removed once it is answered. */
  private final Set<ClientSession> helloing = ConcurrentHashMap.newKeySet();

  /** @param guard token mode's guard, or {@code null} in open mode */
  public SessionMethods(Broker broker, TextRule textRule, Clock clock, SessionGuard guard) {
    this(broker, textRule, clock, guard, null);
  }

  /**
   * @param guard the guard of locked sessions (token mode, or a connect proxy), or {@code null} in open mode
   * @param connect the connect proxy, or {@code null}
   */
  public SessionMethods(Broker broker, TextRule textRule, Clock clock, SessionGuard guard, ConnectCheck connect) {
    this.connect = connect;
    this.broker = broker;
    this.textRule = textRule;
    this.clock = clock;
    this.guard = guard;
  }

  public CompletableFuture<HelloResult> hello(CallContext context, HelloParams params) {
    ClientSession session = RoomMethods.sessionOf(context);
    if (guard != null && connect != null) {
      return helloThroughProxy(session, params);
    }
    if (guard != null) {
      guard.hello(session, params.token());
    } else if (params.name() != null) {
      String name = Names.user("name", params.name());
      if (!name.equals(session.user()) && !session.rooms().isEmpty()) {
        throw new RpcException(ErrorCodes.FORBIDDEN,
            "Forbidden: leave your rooms before changing your name from \"" + session.user() + "\"");
      }
      session.rename(name);
    }
    return CompletableFuture.completedFuture(
        new HelloResult(session.user(), session.id(), HelloResult.PROTOCOL));
  }

  /** A token is tried first; then the connect proxy, unless the session is admitted and asks nothing new. */
  private CompletableFuture<HelloResult> helloThroughProxy(ClientSession session, HelloParams params) {
    if (!helloing.add(session)) {
      throw new RpcException(ErrorCodes.UNAVAILABLE, "Unavailable: another session.hello of this session is "
          + "still under way; try again once it is answered");
    }
    CompletableFuture<HelloResult> answered;
    try {
      answered = helloOnce(session, params);
    } catch (RuntimeException e) {
      helloing.remove(session);
      throw e;
    }
    return answered.whenComplete((result, failure) -> helloing.remove(session));
  }

  private CompletableFuture<HelloResult> helloOnce(ClientSession session, HelloParams params) {
    if (params.token() != null) {
      try {
        guard.hello(session, params.token());
        return CompletableFuture.completedFuture(helloResult(session));
      } catch (RpcException refused) {
        if (params.credentials() == null || refused.code() != ErrorCodes.UNAUTHORIZED) {
          throw refused;
        }
      }
    } else if (params.credentials() == null && session.isAuthenticated()) {
      return CompletableFuture.completedFuture(helloResult(session));
    }
    return connect.admit(session, params.credentials()).thenApply(identity -> {
      guard.admit(session, identity);
      return helloResult(session);
    });
  }

  private static HelloResult helloResult(ClientSession session) {
    return new HelloResult(session.user(), session.id(), HelloResult.PROTOCOL);
  }

  public CompletableFuture<BroadcastResult> broadcast(CallContext context, BroadcastParams params) {
    String text = textRule.check(params.text());
    if (!context.mayBroadcast()) {
      throw new RpcException(ErrorCodes.FORBIDDEN,
          "Forbidden: broadcast needs a token with \"broadcast\": true or \"admin\": true");
    }
    BroadcastNote note = new BroadcastNote(context.user(), text, WireTime.format(clock.instant()));
    int delivered = broker.broadcast(RpcCodec.encode(Notifications.BROADCAST.toMessage(note)));
    return CompletableFuture.completedFuture(new BroadcastResult(delivered));
  }
}
