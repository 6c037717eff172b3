package io.parley.server.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.server.metrics.LatencyBuckets;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.internal.Json;
import com.google.gson.JsonParser;
import io.parley.protocol.types.Message;
import io.parley.server.chat.BlockingWork;
import io.parley.server.chat.Broker;
import io.parley.server.chat.RoomRegistry;
import io.parley.server.chat.WireMessages;
import io.parley.server.chat.WireTime;
import io.parley.server.ws.SessionRegistry;
import io.parley.sql.MessageStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out across nodes on NATS, with PostgreSQL as the source of truth. Each committed message is
 * delivered here and published on its room's subject; a node subscribes only to the rooms that
 * have members on it. Every message, local or remote, goes through the room's
 * {@link RoomSequence}, so members see seq order; a hole that the broker does not fill within
 * {@link #GAP_WAIT} is filled from the store, and while NATS is unreachable the store is polled,
 * so a broker hiccup shows as latency, never as a gap. Presence travels through
 * {@link PresenceSync}.
 *
 * <p>Cluster messages come from our own nodes, so they are parsed with Gson's plain parser.
 *
 * <p>Threads: {@code publish} on the committer thread; NATS handlers on the dispatcher thread;
 * store reads on {@link BlockingWork}; timers on {@code parley-cluster}.
 */
public final class NatsBroker implements Broker {
  private static final Logger LOG = LoggerFactory.getLogger(NatsBroker.class);
  static final Duration GAP_WAIT = Duration.ofMillis(250);
  private static final Duration CATCH_UP_EVERY = Duration.ofSeconds(1);
  private static final int CATCH_UP_PAGE = 500;

  private final String nodeId;
  private final RoomRegistry rooms;
  private final SessionRegistry sessions;
  private final MessageStore store;
  private final BlockingWork blocking;
  private final ConcurrentMap<String, RoomSequence> sequences = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Boolean> gapChecks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final Connection nats;
  private final Dispatcher dispatcher;
  private final PresenceSync presence;
  private final Counter received;
  private final Counter gapFills;
  private final Timer lag;
  private volatile boolean connected;

  public NatsBroker(String url, String nodeId, RoomRegistry rooms, SessionRegistry sessions,
      MessageStore store, BlockingWork blocking, MeterRegistry registry) throws InterruptedException {
    this.nodeId = nodeId;
    this.rooms = rooms;
    this.sessions = sessions;
    this.store = store;
    this.blocking = blocking;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parley-cluster");
      t.setDaemon(true);
      return t;
    });
    this.received = Counter.builder("parley.cluster.received").description("messages received from other nodes")
        .register(registry);
    this.gapFills = Counter.builder("parley.cluster.gap.fills")
        .description("messages read from the store because the broker did not bring them in time").register(registry);
    this.lag = LatencyBuckets.on(Timer.builder("parley.cluster.lag"))
        .description("commit on another node to delivery here (wall clocks of two machines)").register(registry);
    Gauge.builder("parley.cluster.connected", this, b -> b.connected ? 1 : 0)
        .description("1 while this node reaches NATS").tag("node", nodeId).register(registry);
    this.nats = connect(url);
    this.connected = nats.getStatus() == Connection.Status.CONNECTED;
    this.presence = new PresenceSync(nodeId, nats, rooms, timer, registry);
    this.dispatcher = nats.createDispatcher(msg -> {
      try {
        onMessage(msg.getSubject(), new String(msg.getData(), StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        LOG.warn("dropped a malformed cluster message on {}: {}", msg.getSubject(), e.toString());
      }
    });
    dispatcher.subscribe(Subjects.PRESENCE);
    dispatcher.subscribe(Subjects.BROADCAST);
    presence.start();
    timer.scheduleWithFixedDelay(this::catchUpWhileDisconnected, CATCH_UP_EVERY.toMillis(),
        CATCH_UP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("cluster node {} on NATS {} ({})", nodeId, url, connected ? "connected" : "not reachable yet; retrying");
  }

  private Connection connect(String url) throws InterruptedException {
    Options options = new Options.Builder()
        .server(url)
        .connectionName("parley-" + nodeId)
        .noEcho()
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(500))
        .connectionTimeout(Duration.ofSeconds(2))
        .connectionListener((conn, event) -> onConnectionEvent(event))
        .errorListener(new QuietErrors())
        .build();
    try {
      return Nats.connectReconnectOnConnect(options);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot reach NATS at " + url + ": " + e.getMessage(), e);
    }
  }

  private void onConnectionEvent(ConnectionListener.Events event) {
    switch (event) {
      case CONNECTED, RECONNECTED, RESUBSCRIBED -> {
        boolean was = connected;
        connected = true;
        if (!was) {
          LOG.info("NATS {}: cluster delivery resumed, catching up from the store", event);
          timer.execute(this::catchUpAll);
          if (presence != null) {
            presence.hello();
          }
        }
      }
      case DISCONNECTED, CLOSED -> {
        if (connected) {
          LOG.warn("NATS {}: delivering local messages only, reading the store for the others", event);
        }
        connected = false;
      }
      default -> { }
    }
  }

  private void onMessage(String subject, String payload) {
    if (subject.startsWith(Subjects.ROOM_PREFIX)) {
      Message message = Message.from(JsonParser.parseString(payload));
      received.increment();
      lag.record(Duration.between(WireTime.parse(message.ts()), Instant.now()).abs());
      offer(message);
    } else if (Subjects.BROADCAST.equals(subject)) {
      sessions.notifyAll(payload);
    } else if (Subjects.PRESENCE.equals(subject)) {
      presence.onEvent(payload);
    }
  }

  @Override
  public void publish(Message message) {
    offer(message);
    nats.publish(Subjects.room(message.room()), Json.write(Json.toTree(message)).getBytes(StandardCharsets.UTF_8));
  }

  private void offer(Message message) {
    RoomSequence sequence = sequences.get(message.room());
    if (sequence == null) {
      return;
    }
    sequence.offer(message);
    long gap = sequence.gapStart();
    if (gap >= 0 && gapChecks.putIfAbsent(message.room(), Boolean.TRUE) == null) {
      timer.schedule(() -> checkGap(message.room(), gap), GAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void checkGap(String room, long gap) {
    gapChecks.remove(room);
    RoomSequence sequence = sequences.get(room);
    if (sequence != null && sequence.gapStart() == gap) {
      readFromStore(room, sequence, true);
    }
  }

  private void catchUpWhileDisconnected() {
    if (!connected) {
      catchUpAll();
    }
  }

  private void catchUpAll() {
    sequences.forEach((room, sequence) -> readFromStore(room, sequence, false));
  }

  private void readFromStore(String room, RoomSequence sequence, boolean gap) {
    long next = sequence.next();
    if (next < 0) {
      return;
    }
    blocking.supply(() -> store.history(room, null, next - 1, CATCH_UP_PAGE)).whenComplete((page, failure) -> {
      if (failure != null) {
        LOG.warn("catching up room {} from the store failed: {}", room, failure.toString());
        return;
      }
      page.forEach(m -> {
        if (gap) {
          gapFills.increment();
        }
        sequence.offer(WireMessages.of(m));
      });
    });
  }

  private void deliverHere(Message message) {
    rooms.deliver(message.room(), message.seq(), RpcCodec.encode(Notifications.CHAT_MESSAGE.toMessage(message)));
  }

  @Override
  public int broadcast(String notification) {
    nats.publish(Subjects.BROADCAST, notification.getBytes(StandardCharsets.UTF_8));
    return sessions.notifyAll(notification);
  }

  @Override
  public void roomActive(String room) {
    sequences.put(room, new RoomSequence(this::deliverHere));
    dispatcher.subscribe(Subjects.room(room));
  }

  @Override
  public void roomIdle(String room) {
    dispatcher.unsubscribe(Subjects.room(room));
    sequences.remove(room);
  }

  @Override
  public void awaitRoomFeed(String room) {
    if (!connected) {
      return;
    }
    try {
      nats.flush(Duration.ofSeconds(1));
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.debug("NATS flush for room {} timed out; the store fills any gap", room);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void roomRead(String room, long lastSeq) {
    RoomSequence sequence = sequences.get(room);
    if (sequence != null) {
      sequence.base(lastSeq);
    }
  }

  @Override
  public void presence(String room, String user, boolean joined) {
    presence.local(room, user, joined);
  }

  @Override
  public List<String> remoteUsers(String room) {
    return presence.remoteUsers(room);
  }

  @Override
  public boolean isHealthy() {
    return connected;
  }

  @Override
  public void close() {
    presence.goodbye();
    timer.shutdownNow();
    try {
      nats.flush(Duration.ofSeconds(1));
      nats.close();
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.debug("NATS flush on close timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
