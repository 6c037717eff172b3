package io.parley.server.ws;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connected WebSocket client: its identity, the rooms it joined and its outbound queue.
 *
 * <p>Thread-safe. The user name is set by {@code session.hello} on a Jetty thread and read by
 * others, hence volatile; the room set is concurrent because fan-out and disconnect read it.
 */
public final class ClientSession {
  private final String id;
  private final Outbound outbound;
  private final Transport transport;
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();
  private final Object order = new Object();
  private volatile String user;

  public ClientSession(String id, String user, Transport transport, long outboundLimit) {
    this.id = id;
    this.user = user;
    this.transport = transport;
    this.outbound = new Outbound(transport, outboundLimit);
  }

  public String id() {
    return id;
  }

  public String user() {
    return user;
  }

  public void rename(String newUser) {
    this.user = newUser;
  }

  /** The rooms this session is in (joined or joining); a live view. */
  public Set<String> rooms() {
    return rooms;
  }

  /**
   * The lock that orders everything queued to this session. A reply and the actions that must
   * follow it ({@link io.parley.server.rpc.CallContext#afterReply}) run under it together, and
   * room members take it to hold or release messages, so no other frame can slip in between.
   * Lock order: this, then the {@link Outbound}'s own monitor; never the other way round.
   */
  public Object order() {
    return order;
  }

  public void notify(String text) {
    synchronized (order) {
      outbound.notify(text);
    }
  }

  public void reply(String text) {
    synchronized (order) {
      outbound.reply(text);
    }
  }

  public Outbound outbound() {
    return outbound;
  }

  public void close(int code, String reason) {
    transport.close(code, reason);
  }

  @Override
  public String toString() {
    return "session " + id + " (" + user + ")";
  }
}
