package io.parley.server.ws;

import io.parley.protocol.CloseCodes;
import io.parley.server.rpc.CallContext;
import io.parley.server.limits.TokenBucket;
import io.parley.server.rpc.RpcDispatcher;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection at {@code /ws}: every text frame goes to the {@link RpcDispatcher} and
 * the reply, if any, to the session's {@link Outbound} queue. Jetty calls this on its own threads,
 * one frame at a time per connection (auto-demand after each frame); nothing here blocks, since
 * handlers hand blocking work to other threads and answer through futures.
 */
public final class ParleyEndpoint implements Session.Listener.AutoDemanding {
  private static final Logger LOG = LoggerFactory.getLogger(ParleyEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RpcDispatcher dispatcher;
  private final SessionRegistry sessions;
  private final Consumer<ClientSession> onOpen;
  private final Consumer<ClientSession> onClose;
  private final long outboundLimit;
  private final Supplier<TokenBucket> buckets;
  private final Runnable onOverflow;
  private ClientSession session;

  /**
   * @param onOpen runs with the new session before it is registered and before its first frame
   *     (token mode locks or authenticates it there)
   * @param onClose runs once the session is closed and unregistered
   */
  public ParleyEndpoint(RpcDispatcher dispatcher, SessionRegistry sessions, Consumer<ClientSession> onOpen,
      Consumer<ClientSession> onClose, long outboundLimit) {
    this(dispatcher, sessions, onOpen, onClose, outboundLimit, () -> null, () -> { });
  }

  /**
   * @param buckets makes the new session's call budget ({@code null}: unlimited)
   * @param onOverflow runs when the session's outbound queue overflows (a slow consumer)
   */
  public ParleyEndpoint(RpcDispatcher dispatcher, SessionRegistry sessions, Consumer<ClientSession> onOpen,
      Consumer<ClientSession> onClose, long outboundLimit, Supplier<TokenBucket> buckets, Runnable onOverflow) {
    this.dispatcher = dispatcher;
    this.sessions = sessions;
    this.onOpen = onOpen;
    this.onClose = onClose;
    this.outboundLimit = outboundLimit;
    this.buckets = buckets;
    this.onOverflow = onOverflow;
  }

  @Override
  public void onWebSocketOpen(Session jettySession) {
    String id = randomHex(8);
    session = new ClientSession(id, "guest-" + randomHex(3), new JettyTransport(jettySession), outboundLimit,
        buckets.get(), () -> {
          LOG.info("closing session {} from {} with 1013: more than {} bytes of notifications not written",
              id, jettySession.getRemoteSocketAddress(), outboundLimit);
          onOverflow.run();
        });
    onOpen.accept(session);
    sessions.add(session);
  }

  @Override
  public void onWebSocketText(String text) {
    ClientSession current = session;
    current.heard();
    CallContext context = CallContext.of(current);
    dispatcher.dispatch(text, context).whenComplete((reply, failure) -> {
      if (failure != null) {
        LOG.error("dispatch failed for {}", current, failure);
        current.close(CloseCodes.SERVER_ERROR, "server error");
        return;
      }
      synchronized (current.order()) {
        if (reply != null) {
          current.reply(reply);
        }
        context.replied();
      }
    });
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    ClientSession current = session;
    if (current != null) {
      current.heard();
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    ClientSession closed = session;
    LOG.debug("session {} closed: {} {}", closed == null ? "?" : closed.id(), statusCode, reason);
    if (closed != null) {
      closed.outbound().shutdown();
      sessions.remove(closed);
      onClose.accept(closed);
    }
    callback.succeed();
  }

  /** Binary frames are read as UTF-8 JSON too: some clients send JSON that way. */
  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(payload)
          .toString();
    } catch (CharacterCodingException e) {
      // Refused like a text frame would be, never stored with replacement characters.
      callback.succeed();
      session.close(CloseCodes.BAD_DATA, "binary frame is not valid UTF-8");
      return;
    }
    onWebSocketText(text);
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.debug("websocket error on {}: {}", session, cause.toString());
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
