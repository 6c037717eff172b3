package io.parley.server.ws;

import io.parley.server.limits.ReadLane;
import io.parley.server.rpc.Caller;
import io.parley.server.limits.TokenBucket;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One connected client (over a WebSocket or an event stream): its identity, the rooms it joined and its outbound queue.
 *
 * <p>In token mode a session starts {@linkplain #lock() locked}: only {@code session.hello} and
 * {@code rpc.discover} are served until a token {@linkplain #authenticate authenticates} it, and
 * it has a pending timer (the authentication deadline, later the token's expiry) that closes it.
 *
 * <p>Thread-safe. The user name is set by {@code session.hello} on a Jetty thread and read by
 * others, hence volatile, like the authentication state; the room set is concurrent because
 * fan-out and disconnect read it.
 */
public final class ClientSession implements Subscriber, Caller {
  private final String id;
  private final Outbound outbound;
  private final Transport transport;
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();
  private final Object order = new Object();
  private final Object admission = new Object();
  private final TokenBucket rate;
  private final AtomicBoolean dropped = new AtomicBoolean();
  private final AtomicBoolean departing = new AtomicBoolean();
  private volatile Runnable onDepart = () -> { };
  private final ReadLane reads;
  private volatile Runnable onDrained = () -> { };
  private volatile ReadGate gate;
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile String user;
  /** Told when the user changes (hello): the registry's index of sessions by user. */
  private volatile Consumer<ClientSession> onRename = s -> { };
  private volatile boolean authenticated = true;
  private volatile Set<String> allowedRooms;
  private volatile boolean broadcastAllowed = true; // open mode; a token decides in token mode
  /** A token's {@code "admin": true}: may delete others' messages. Never in open mode. */
  private volatile boolean adminRights;
  private volatile Instant expiresAt;
  private volatile Future<?> timer;
  /** Set once the session closed; guarded by this. */
  private boolean timersRetired;
  private final long openedNanos = System.nanoTime();
  /** Text messages read from the client (a batch counts once); only the endpoint's thread of the moment writes it. */
  private final AtomicLong messagesIn = new AtomicLong();
  private volatile int closeCode = -1;
  private volatile String closeReason;
  private volatile String address = "";

  /** A session with no call budget and no node-wide line: for the hub's and the queue's own tests. */
  public ClientSession(String id, String user, Transport transport, long outboundLimit) {
    this(id, user, transport, outboundLimit, null, () -> { }, NodeBacklog.NONE);
  }

  /**
   * @param rate the session's call budget, or {@code null} for none
   * @param onOverflow runs when the outbound queue passes {@code outboundLimit} (a slow consumer)
   * @param node the node's unwritten bytes, which this session adds to and may be held back by
   */
  ClientSession(String id, String user, Transport transport, long outboundLimit, TokenBucket rate,
      Runnable onOverflow, NodeBacklog node) {
    this.id = id;
    this.user = user;
    this.transport = transport;
    this.rate = rate;
    this.outbound = new Outbound(transport, outboundLimit, () -> {
      onOverflow.run();
      depart();
    }, node);
    this.reads = new ReadLane(outbound::isBackedUp, outbound::isClosed);
    outbound.onDrained(() -> {
      reads.wake();
      onDrained.run();
    });
  }

  /** The session's share of the node's store reads: paused while its replies are backed up. */
  @Override
  public ReadLane reads() {
    return reads;
  }

  /** The gate that decides when the session's next frame is read; set once by the endpoint. */
  void readThrough(ReadGate readGate) {
    this.gate = readGate;
    this.onDrained = readGate::resume;
  }

  /**
   * True when every frame read from the client has been answered, reading is not held back, and
   * nothing is being written: what a stopping server waits for before it closes the session, so
   * that requests the client sent before the stop are answered rather than left unread.
   */
  public boolean isQuiet() {
    ReadGate g = gate;
    return outbound.isIdle() && (g == null || g.isSettled());
  }

  /** The session's call budget, or {@code null}. */
  @Override
  public TokenBucket rate() {
    return rate;
  }

  /** Records that the peer sent something (a frame or a pong): it is alive. */
  public void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** Records one whole text message read from the client. */
  public void received() {
    messagesIn.incrementAndGet();
  }

  /** Whole text messages read from the client so far. */
  public long messagesIn() {
    return messagesIn.get();
  }

  /** Frames queued to the client so far: replies and notifications. */
  public long messagesOut() {
    return outbound.framesSent();
  }

  /** {@link System#nanoTime()} when the session opened. */
  /** The client's address as the upgrade saw it (for the operations page); empty until it is registered. */
  public String address() {
    return address;
  }

  void address(String clientAddress) {
    this.address = clientAddress;
  }

  public long openedNanos() {
    return openedNanos;
  }

  /** Records how the connection ended, before the close callbacks run. */
  public void closedWith(int code, String reason) {
    this.closeReason = reason;
    this.closeCode = code;
  }

  /** The close code the connection ended with, or -1 while open. */
  public int closeCode() {
    return closeCode;
  }

  /** The close reason the connection ended with ({@code null} while open or when there was none). */
  public String closeReason() {
    return closeReason;
  }

  /** {@link System#nanoTime()} when the peer last sent anything. */
  public long lastHeardNanos() {
    return lastHeardNanos;
  }

  /** Sends a WebSocket ping. */
  public void ping() {
    transport.ping();
  }

  /**
   * Drops the connection without a closing handshake (the peer stopped answering); true the first
   * time, false if it was already dropped and its close is under way.
   */
  public boolean disconnect() {
    if (!dropped.compareAndSet(false, true)) {
      return false;
    }
    depart();
    transport.disconnect();
    return true;
  }

  public String id() {
    return id;
  }

  /** The session's transport, for its own package. */
  Transport transport() {
    return transport;
  }

  /** What the session runs over: {@link Transport#WEBSOCKET} or {@link Transport#SSE}. */
  public String transportKind() {
    return transport.kind();
  }

  @Override
  public String user() {
    return user;
  }

  @Override
  public boolean isSession() {
    return true;
  }

  @Override
  public RoomFeed joinFeed() {
    return new SessionFeed(this);
  }

  public void rename(String newUser) {
    String old = user;
    this.user = newUser;
    if (!newUser.equals(old)) {
      onRename.accept(this);
    }
  }

  /** Who is told when the session's user changes (the {@link SessionRegistry}); set once, at registration. */
  void onRename(Consumer<ClientSession> watcher) {
    this.onRename = watcher;
  }

  /** Token mode: nothing but the methods open before authentication is served until {@link #authenticate}. */
  public void lock() {
    authenticated = false;
  }

  /** True in open mode, and in token mode once a valid token was presented. */
  @Override
  public boolean isAuthenticated() {
    return authenticated;
  }

  /**
   * Marks the session as {@code user}, allowed into {@code rooms} ({@code null}: any room) and to
   * {@code broadcast} if {@code mayBroadcast}, until {@code expires} ({@code null}: no end).
   */
  public void authenticate(String newUser, Set<String> rooms, Instant expires, boolean mayBroadcast) {
    authenticate(newUser, rooms, expires, mayBroadcast, false);
  }

  /** The same, with the administrator's rights if {@code admin} (a token's {@code "admin": true}). */
  public void authenticate(String newUser, Set<String> rooms, Instant expires, boolean mayBroadcast, boolean admin) {
    this.adminRights = admin;
    String old = user;
    this.user = newUser;
    this.allowedRooms = rooms;
    this.broadcastAllowed = mayBroadcast;
    this.expiresAt = expires;
    this.authenticated = true;
    if (!newUser.equals(old)) {
      onRename.accept(this);
    }
  }

  /** When the session's token expires, or {@code null}. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** True unless the session's token names the rooms it may use and {@code room} is not one of them. */
  @Override
  public boolean mayUse(String room) {
    Set<String> allowed = allowedRooms;
    return allowed == null || allowed.contains(room);
  }

  /** True in open mode, and in token mode if the session's token allows {@code broadcast}. */
  @Override
  public boolean mayBroadcast() {
    return broadcastAllowed;
  }

  @Override
  public boolean isAdmin() {
    return adminRights;
  }

  /**
   * Replaces the session's pending timer (deadline or expiry), cancelling the previous one. After
   * {@link #retireTimers()} it cancels {@code next} instead: an admission that completes after the
   * session closed (a connect proxy's answer) must not keep the closed session until its expiry.
   */
  public void replaceTimer(Future<?> next) {
    Future<?> cancel;
    synchronized (this) {
      if (timersRetired) {
        cancel = next;
      } else {
        cancel = timer == next ? null : timer;
        timer = next;
      }
    }
    if (cancel != null) {
      cancel.cancel(false);
    }
  }

  /** The session is closed: its timer is cancelled, and so is any timer set from now on. */
  public void retireTimers() {
    Future<?> previous;
    synchronized (this) {
      timersRetired = true;
      previous = timer;
      timer = null;
    }
    if (previous != null) {
      previous.cancel(false);
    }
  }

  /**
   * The lock under which a join checks the session's allowed rooms and adds the room, and an
   * admission ({@code SessionGuard.admit}) checks the session's rooms and swaps its identity: so a
   * join cannot slip in between a refresh's check and its swap and leave the session in a room
   * the new identity does not allow. Taken before the hub's and the registry's locks, never under them.
   */
  public Object admissionLock() {
    return admission;
  }

  /** The rooms this session is in (joined or joining); a live view. */
  public Set<String> rooms() {
    return rooms;
  }

  /**
   * The lock that orders everything queued to this session. A reply and the actions that must
   * follow it ({@link io.parley.server.rpc.CallContext#afterReply}) run under it together, and
   * room feeds take it to hold or release messages, so no other frame can slip in between.
   * Lock order: this, then whatever the transport locks inside; completions never take it.
   */
  Object order() {
    return order;
  }

  public void notify(String text) {
    notify(TextFrame.of(text));
  }

  /** Queues a notification that may go to many sessions, encoded once. */
  public void notify(TextFrame frame) {
    synchronized (order) {
      outbound.notify(frame);
    }
  }

  public void reply(String text) {
    TextFrame frame = TextFrame.of(text);
    synchronized (order) {
      outbound.reply(frame);
    }
  }

  public Outbound outbound() {
    return outbound;
  }

  /**
   * Closes with a WebSocket close code. The session {@linkplain #depart() departs} at once: a
   * close frame waits behind every unwritten frame, and a peer that does not read may never
   * complete the handshake (the transport aborts it after a few seconds).
   */
  public void close(int code, String reason) {
    depart();
    transport.close(code, reason);
  }

  /** Sets what {@link #depart()} runs; once, before the session is registered. */
  void onDepart(Runnable action) {
    this.onDepart = action;
  }

  /**
   * The server is done with this session (it closes it, or the connection ended): it leaves its
   * rooms now, so the others see {@code room.left} and stop counting it without waiting for the
   * closing handshake. Runs the departure once, however many paths get here.
   */
  void depart() {
    if (departing.compareAndSet(false, true)) {
      onDepart.run();
    }
  }

  /** True once the session has begun to depart: nothing it asks for from now on is served. */
  public boolean isDeparting() {
    return departing.get();
  }

  @Override
  public String toString() {
    return "session " + id + " (" + user + ")";
  }
}
