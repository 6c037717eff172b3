package io.parley.server.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.server.admin.OperationsChannel;
import io.parley.server.metrics.LatencyBuckets;
import io.parley.server.rpc.IncidentLog;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.parley.protocol.JsonText;
import io.parley.protocol.Names;
import io.parley.protocol.types.Message;
import io.parley.server.chat.BlockingWork;
import io.parley.server.chat.WireMessages;
import io.parley.server.chat.WireTime;
import io.parley.server.hub.Broker;
import io.parley.server.hub.Covered;
import io.parley.server.hub.Hub;
import io.parley.server.hub.Presence;
import io.parley.server.hub.RoomChange;
import io.parley.sql.MessageStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fan-out across nodes on NATS, with PostgreSQL as the source of truth. Each commit's messages of a
 * room are published on the room's subject as one NATS message (a JSON array); a node subscribes
 * only to the rooms that have members on it. Every message, local or remote, goes through the
 * room's {@link RoomSequence}, which hands what is in order to the {@link Hub}, the same delivery
 * core a single node uses, so members see seq order; a hole that the broker does not fill within
 * {@link #GAP_WAIT} is filled from the store, and while NATS is unreachable the store is polled,
 * so a broker hiccup shows as latency, never as a gap. Presence travels through
 * {@link PresenceSync}.
 *
 * <p>Direct messages (contract 1.1, {@code dm.} rooms) are for two users' sessions wherever they
 * are, joined or not, so they do not travel on room subjects: every node publishes them on
 * {@link Subjects#DIRECT}, and a node keeps those of users it has a session of. They go through a
 * {@link RoomSequence} per conversation like room messages (the two users may send from two
 * nodes at once), started at the first one this node keeps, and gaps are filled from the store.
 * A conversation's sequence is dropped once neither user has a session here.
 *
 * <p>What travels on the subjects is {@link ClusterWire}'s.
 *
 * <p>Threads: {@code publish} on the committer thread; NATS handlers on the dispatcher thread;
 * store reads on {@link BlockingWork}; timers on {@code parley-cluster}. Joins that need to know
 * their room's subscription is live share one NATS flush at a time ({@link #awaitFeed}).
 */
public final class NatsBroker implements Broker {
  private static final Logger LOG = LoggerFactory.getLogger(NatsBroker.class);
  private static final IncidentLog INCIDENTS = new IncidentLog(LOG);
  static final Duration GAP_WAIT = Duration.ofMillis(250);
  private static final Duration CATCH_UP_EVERY = Duration.ofSeconds(1);
  private static final int CATCH_UP_PAGE = 500;
  private static final long CATCH_UP_BYTES = 1024 * 1024;
  /** Gap checks of a room's changes are keyed apart from its messages'. */
  private static final String REV_KEY = "rev:";
  private static final Duration DROP_IDLE_DIRECT_EVERY = Duration.ofSeconds(30);

  private final String nodeId;
  private final Hub hub;
  private final MessageStore store;
  private final BlockingWork blocking;
  private final ConcurrentMap<String, RoomSequence<Message>> sequences = new ConcurrentHashMap<>();
  /** Each room's changes (contract 1.1), by rev, behind its messages. */
  private final ConcurrentMap<String, RoomSequence<RoomChange>> changeSequences = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Boolean> gapChecks = new ConcurrentHashMap<>();
  private final DirectPairs directPairs;
  private final ScheduledExecutorService timer;
  private final Connection nats;
  private final Dispatcher dispatcher;
  private final PresenceSync presence;
  private final Counter received;
  private final Counter gapFills;
  private final Timer lag;
  private volatile boolean connected;
  /** Counts room subscriptions; a flush that began after a room's subscription proves it live. */
  private final AtomicLong subscriptions = new AtomicLong();
  private final ConcurrentMap<String, Long> subscribedAt = new ConcurrentHashMap<>();
  private final Object flushing = new Object();
  /** Every subscription numbered up to this one is known to be live at the NATS server. */
  private volatile long confirmed;

  public NatsBroker(String url, String nodeId, Hub hub, MessageStore store, BlockingWork blocking,
      MeterRegistry registry) throws InterruptedException {
    this.nodeId = nodeId;
    this.hub = hub;
    this.directPairs = new DirectPairs(hub);
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
    this.presence = new PresenceSync(nodeId, nats, hub, timer, registry);
    this.dispatcher = nats.createDispatcher(msg -> {
      try {
        onMessage(msg.getSubject(), new String(msg.getData(), StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        LOG.warn("dropped a malformed cluster message on {}: {}", msg.getSubject(), e.toString());
      }
    });
    dispatcher.subscribe(Subjects.PRESENCE);
    dispatcher.subscribe(Subjects.BROADCAST);
    dispatcher.subscribe(Subjects.DIRECT);
    presence.start();
    timer.scheduleWithFixedDelay(this::catchUpWhileDisconnected, CATCH_UP_EVERY.toMillis(),
        CATCH_UP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(() -> directPairs.dropIdle(this::forget), DROP_IDLE_DIRECT_EVERY.toMillis(),
        DROP_IDLE_DIRECT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
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
    boolean direct = Subjects.DIRECT.equals(subject);
    if (subject.startsWith(Subjects.ROOM_PREFIX) || direct) {
      JsonElement json = JsonParser.parseString(payload);
      if (ClusterWire.holdsChanges(json)) {
        List<RoomChange> changes = ClusterWire.changes(json);
        if (direct) {
          offerDirectChanges(changes.get(0).room(), changes);
        } else {
          offerChanges(changes.get(0).room(), changes);
        }
        return;
      }
      List<Message> messages = received(json);
      if (direct) {
        offerDirect(messages.get(0).room(), messages);
      } else {
        offer(messages.get(0).room(), messages);
      }
    } else if (Subjects.BROADCAST.equals(subject)) {
      hub.broadcastHere(payload);
    } else if (Subjects.PRESENCE.equals(subject)) {
      presence.onEvent(payload);
    }
  }

  /** One cluster message of a commit's messages of one room, counted and its lag recorded. */
  private List<Message> received(JsonElement json) {
    List<Message> messages = ClusterWire.messages(json);
    received.increment(messages.size());
    Instant now = Instant.now();
    for (Message message : messages) {
      lag.record(Duration.between(WireTime.parse(message.ts()), now).abs());
    }
    return messages;
  }

  @Override
  public void publishChanges(List<RoomChange> committed) {
    Map<String, List<RoomChange>> byRoom = new LinkedHashMap<>();
    committed.forEach(c -> byRoom.computeIfAbsent(c.room(), r -> new ArrayList<>()).add(c));
    byRoom.forEach((room, changes) -> {
      if (Names.isDirectRoom(room)) {
        offerDirectChanges(room, changes);
      } else {
        offerChanges(room, changes);
      }
    });
    byRoom.forEach((room, changes) -> send(room, ClusterWire.ofChanges(changes)));
  }

  /** One room's commit to the other nodes: on the room's subject, or for a conversation the direct one. */
  private void send(String room, JsonElement payload) {
    String subject = Names.isDirectRoom(room) ? Subjects.DIRECT : Subjects.room(room);
    try {
      nats.publish(subject, JsonText.write(payload).getBytes(StandardCharsets.UTF_8));
    } catch (IllegalStateException e) {
      // The client's reconnect buffer is full or it is closing: the other nodes fill the gap from the store.
      INCIDENTS.warn("nats-publish", "publishing to NATS failed ({}); other nodes read the store", e.getMessage());
    }
  }

  @Override
  public void publish(List<Message> committed) {
    Map<String, List<Message>> byRoom = Hub.byRoom(committed);
    // Every room here first: a NATS failure for one room must not keep the others from this node's members.
    byRoom.forEach((room, messages) -> {
      if (Names.isDirectRoom(room)) {
        offerDirect(room, messages);
      } else {
        offer(room, messages);
      }
    });
    byRoom.forEach((room, messages) -> send(room, ClusterWire.ofMessages(messages)));
  }

  private void offer(String room, List<Message> messages) {
    offerTo(sequences.get(room), room, messages, gap -> checkGap(room, gap));
  }

  /** Offers to a room's sequence (none: not followed here); a hole still open after a while is filled. */
  private <T> void offerTo(RoomSequence<T> sequence, String gapKey, List<T> items, LongConsumer fillIfStillOpen) {
    if (sequence == null) {
      return;
    }
    sequence.offerAll(items);
    long gap = sequence.gapStart();
    if (gap >= 0 && gapChecks.putIfAbsent(gapKey, Boolean.TRUE) == null) {
      timer.schedule(() -> fillIfStillOpen.accept(gap), GAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Direct messages of one conversation, committed here or elsewhere: kept if one of its two users
   * has a session here. The conversation's sequence starts at the first one kept.
   */
  private void offerDirect(String room, List<Message> messages) {
    if (!sequences.containsKey(room)) {
      if (!directPairs.follow(room, messages.get(0))) {
        return;
      }
      RoomSequence<Message> started = RoomSequence.ofMessages(hub::accept);
      if (sequences.putIfAbsent(room, started) == null) {
        started.base(messages.stream().mapToLong(Message::seq).min().orElseThrow() - 1);
      }
    }
    offer(room, messages);
  }

  private void offerChanges(String room, List<RoomChange> changes) {
    offerTo(changeSequences.get(room), REV_KEY + room, changes, gap -> checkChangeGap(room, gap));
  }

  /**
   * Changes of one direct conversation: kept like its messages, if one of its two users has a session
   * here; its change sequence starts at the first change kept, behind the conversation's messages.
   */
  private void offerDirectChanges(String room, List<RoomChange> changes) {
    if (!changeSequences.containsKey(room)) {
      RoomChange first = changes.get(0);
      if (!directPairs.follow(room, first.change().user(), first.to())) {
        return;
      }
      RoomSequence<RoomChange> started = RoomSequence.ofChanges(hub::acceptChanges, sequences.get(room));
      if (changeSequences.putIfAbsent(room, started) == null) {
        started.base(changes.stream().mapToLong(RoomChange::rev).min().orElseThrow() - 1);
      }
    }
    offerChanges(room, changes);
  }

  private void checkChangeGap(String room, long gap) {
    gapChecks.remove(REV_KEY + room);
    RoomSequence<RoomChange> sequence = changeSequences.get(room);
    if (sequence != null && sequence.gapStart() == gap) {
      readChangesFromStore(room, sequence, true);
    }
  }

  private void readChangesFromStore(String room, RoomSequence<RoomChange> sequence, boolean gap) {
    fillFromStore("the changes of room " + room, sequence, gap, after ->
        store.changes(room, after, Long.MAX_VALUE, CATCH_UP_PAGE, CATCH_UP_BYTES).changes().stream()
            .map(c -> new RoomChange(WireMessages.of(c), directPairs.other(room, c.user()))).toList());
  }

  /**
   * Offers to {@code sequence} what the store holds after the last number it delivered (a page of
   * it); {@code gap}: the broker left a hole, counted as gap fills.
   */
  private <T> void fillFromStore(String what, RoomSequence<T> sequence, boolean gap, LongFunction<List<T>> readAfter) {
    long next = sequence.next();
    if (next < 0) {
      return;
    }
    blocking.supply(() -> readAfter.apply(next - 1)).whenComplete((items, failure) -> {
      if (failure != null) {
        LOG.warn("catching up {} from the store failed: {}", what, failure.toString());
        return;
      }
      if (gap && !items.isEmpty()) {
        gapFills.increment(items.size());
      }
      sequence.offerAll(items);
    });
  }

  /** A direct conversation no session here belongs to any more. */
  private void forget(String room) {
    sequences.remove(room);
    changeSequences.remove(room);
  }

  private void checkGap(String room, long gap) {
    gapChecks.remove(room);
    RoomSequence<Message> sequence = sequences.get(room);
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
    changeSequences.forEach((room, sequence) -> readChangesFromStore(room, sequence, false));
  }

  private void readFromStore(String room, RoomSequence<Message> sequence, boolean gap) {
    fillFromStore("room " + room, sequence, gap, after -> store.history(room, null, after, CATCH_UP_PAGE).stream()
        .map(WireMessages::of).map(m -> directPairs.addressed(room, m)).toList());
  }

  @Override
  public int broadcast(String notification) {
    nats.publish(Subjects.BROADCAST, notification.getBytes(StandardCharsets.UTF_8));
    return hub.broadcastHere(notification);
  }

  @Override
  public void subscribe(String room) {
    if (Names.isDirectRoom(room)) {
      return; // its messages come on Subjects.DIRECT, whoever joined it
    }
    RoomSequence<Message> messages = RoomSequence.ofMessages(hub::accept);
    changeSequences.put(room, RoomSequence.ofChanges(hub::acceptChanges, messages));
    sequences.put(room, messages);
    subscribedAt.put(room, subscriptions.incrementAndGet());
    dispatcher.subscribe(Subjects.room(room));
  }

  @Override
  public void unsubscribe(String room) {
    if (Names.isDirectRoom(room)) {
      return;
    }
    dispatcher.unsubscribe(Subjects.room(room));
    sequences.remove(room);
    changeSequences.remove(room);
    subscribedAt.remove(room);
  }

  @Override
  public <T extends Covered> T readForJoin(String room, Supplier<T> read) {
    awaitFeed(room);
    T result = read.get();
    RoomSequence<Message> sequence = sequences.get(room);
    if (sequence != null) {
      sequence.base(result.lastSeq());
    }
    RoomSequence<RoomChange> changes = changeSequences.get(room);
    if (changes != null) {
      changes.base(result.lastRev());
    }
    return result;
  }

  /**
   * Returns once the room's subscription is live at the NATS server, so a store read that follows
   * misses nothing. A flush (one ping) proves every subscription made before it began: joins wait
   * for one flush at a time and skip it when an earlier one already covered their room. A flush per
   * join sent pings faster than NATS answers them while many joined at once, and the client
   * reconnected ("Max outgoing Ping count exceeded"), which cost a catch-up from the store.
   */
  private void awaitFeed(String room) {
    if (!connected) {
      return;
    }
    Long mine = subscribedAt.get(room);
    if (mine == null || mine <= confirmed) {
      return;
    }
    synchronized (flushing) {
      if (mine <= confirmed) {
        return;
      }
      long covers = subscriptions.get();
      try {
        nats.flush(Duration.ofSeconds(1));
        confirmed = covers;
      } catch (java.util.concurrent.TimeoutException e) {
        LOG.debug("NATS flush for room {} timed out; the store fills any gap", room);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Room presence across nodes, for the chat methods. */
  public Presence presence() {
    return presence;
  }

  @Override
  public boolean isHealthy() {
    return connected;
  }

  /** The channel the operations pages of the nodes talk on (figures, disconnects); close it before this. */
  public OperationsChannel operationsChannel() {
    return new NatsOperationsChannel(nats, nodeId);
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
