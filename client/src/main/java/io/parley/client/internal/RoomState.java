package io.parley.client.internal;

import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.PresenceChange;
import io.parley.client.ReadPosition;
import io.parley.client.Typing;
import io.parley.client.Registration;
import io.parley.protocol.types.Change;
import io.parley.protocol.types.ChangeResult;
import io.parley.protocol.types.JoinResult;
import io.parley.protocol.types.Message;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A joined room and the one place that keeps its seq run and its rev run whole. Every message,
 * whether live, from a join's {@code missed} or from a history page, goes through {@link #add}:
 * those at or below the last delivered seq are dropped (duplicates), the next one is delivered,
 * later ones wait in {@code ahead} while the gap is paged with {@code chat.history after=last}. So
 * the application sees seq run n, n+1, n+2… with neither gap nor duplicate, however the connection
 * came and went.
 *
 * <p>Changes (contract 1.1 {@code chat.change}, a join's {@code changes}, {@code chat.changes}
 * pages) go the same way by {@code rev}, with one more rule: a change waits until the message it
 * changes has been delivered (the server never sends a change before its message; a recovery that
 * pages both could). A change that names a seq beyond every known one makes that seq known, so its
 * message is paged.
 *
 * <p>The seq and rev state is core-thread only; the {@link JoinedRoom} methods may be called from
 * any thread (they read volatile snapshots, the {@link MessageWindow}, or go through the client).
 */
public final class RoomState implements JoinedRoom {
  private static final Logger LOG = LoggerFactory.getLogger(RoomState.class);

  /** Pages the gaps of a room; answers come back through {@link #onPage} and {@link #onChangesPage}. */
  interface HistoryPager {
    /** Asks {@code chat.history} for the messages after {@code after}. */
    void fetchAfter(RoomState room, long after);

    /** Asks {@code chat.changes} for the changes after rev {@code after}. */
    void fetchChangesAfter(RoomState room, long after);
  }

  private final String name;
  private final Long since;
  private final Long sinceRev;
  private final ParleyClient client;
  private final Events events;
  private final EventStream<Message> messages;
  private final EventStream<PresenceChange> presence;
  private final EventStream<Typing> typing;
  private final EventStream<ReadPosition> reads;
  private final EventStream<Change> changes;
  private final MessageWindow window = new MessageWindow(MessageWindow.CAPACITY);
  private final CompletableFuture<JoinedRoom> joined = new CompletableFuture<>();
  private final TreeMap<Long, Message> ahead = new TreeMap<>();
  private final TreeMap<Long, Change> changesAhead = new TreeMap<>();
  private volatile JoinResult joinResult;
  private volatile long lastSeq = -1;
  private volatile long lastRev = -1;
  private long knownHigh;
  private long knownRev;
  private boolean fetching;
  private boolean fetchingChanges;
  private boolean ended;

  RoomState(String name, Long since, ParleyClient client, Events events, int capacity) {
    this(name, since, null, client, events, capacity);
  }

  RoomState(String name, Long since, Long sinceRev, ParleyClient client, Events events, int capacity) {
    this.name = name;
    this.since = since;
    this.sinceRev = sinceRev;
    this.client = client;
    this.events = events;
    this.messages = new EventStream<>(events, capacity, "room " + name + " messages");
    this.presence = new EventStream<>(events, capacity, "room " + name + " presence");
    this.typing = new EventStream<>(events, capacity, "room " + name + " typing");
    this.reads = new EventStream<>(events, capacity, "room " + name + " reads");
    this.changes = new EventStream<>(events, capacity, "room " + name + " changes");
  }

  /** A join or rejoin answered: the first one fixes where delivery starts. */
  void onJoined(JoinResult result, HistoryPager pager) {
    if (joinResult == null) {
      joinResult = result;
      lastSeq = since != null ? since : result.seq();
      lastRev = sinceRev != null ? sinceRev : result.rev();
      changesAhead.headMap(lastRev, true).clear();
      events.post(() -> joined.complete(this));
    }
    knownHigh = Math.max(knownHigh, result.seq());
    knownRev = Math.max(knownRev, result.rev());
    result.missed().forEach(this::add);
    if (result.changes() != null) {
      result.changes().forEach(this::addChange);
    }
    drain(pager);
  }

  /** A live {@code chat.change}. */
  void acceptChange(Change change, HistoryPager pager) {
    addChange(change);
    drain(pager);
  }

  /** A page of {@code chat.changes after=…} came back. */
  void onChangesPage(List<Change> page, HistoryPager pager) {
    fetchingChanges = false;
    long before = contiguousRev();
    page.forEach(this::addChange);
    drain(null);
    if (contiguousRev() == before && lastRev == before && hasRevGap()) {
      skipRevGap();
    }
    drain(pager);
  }

  /** Paging changes failed (the connection dropped): the rejoin's {@code sinceRev} starts it again. */
  void onChangesPageFailed() {
    fetchingChanges = false;
  }

  /** A live {@code chat.message}. */
  void accept(Message message, HistoryPager pager) {
    add(message);
    drain(pager);
  }

  /** A page of {@code chat.history after=…} came back. */
  void onPage(List<Message> page, HistoryPager pager) {
    fetching = false;
    long before = lastSeq;
    page.forEach(this::add);
    drain(null);
    if (lastSeq == before && hasGap()) {
      skipGap();
    }
    drain(pager);
  }

  /** Paging failed (the connection dropped): the rejoin's {@code since} starts it again. */
  void onPageFailed() {
    fetching = false;
  }

  private void add(Message message) {
    if (joinResult == null || message.seq() > lastSeq) {
      ahead.putIfAbsent(message.seq(), message);
    }
  }

  private void addChange(Change change) {
    if (joinResult == null || change.rev() > lastRev) {
      changesAhead.putIfAbsent(change.rev(), change);
    }
    knownRev = Math.max(knownRev, change.rev());
    knownHigh = Math.max(knownHigh, change.seq());
  }

  private void drain(HistoryPager pager) {
    if (joinResult == null) {
      return;
    }
    while (!ahead.isEmpty() && ahead.firstKey() <= lastSeq + 1) {
      Message next = ahead.pollFirstEntry().getValue();
      if (next.seq() == lastSeq + 1) {
        lastSeq = next.seq();
        events.post(() -> window.add(next)); // before the listeners hear of it: they may look
        messages.publish(next);
      }
    }
    while (!changesAhead.isEmpty()) {
      Change next = changesAhead.firstEntry().getValue();
      if (next.rev() <= lastRev) {
        changesAhead.pollFirstEntry(); // delivered already (or skipped)
        continue;
      }
      if (next.rev() != lastRev + 1 || next.seq() > lastSeq) {
        break; // a gap, or its message is not delivered yet
      }
      changesAhead.pollFirstEntry();
      lastRev = next.rev();
      events.post(() -> window.apply(next)); // before the listeners hear of it: they may look
      changes.publish(next);
    }
    if (pager != null && !ended) {
      if (hasGap() && !fetching) {
        fetching = true;
        pager.fetchAfter(this, lastSeq);
      }
      if (hasRevGap() && !fetchingChanges) {
        fetchingChanges = true;
        pager.fetchChangesAfter(this, contiguousRev());
      }
    }
  }

  /** The last rev up to which every change is delivered or waiting here (for its message). */
  private long contiguousRev() {
    long rev = lastRev;
    while (changesAhead.containsKey(rev + 1)) {
      rev++;
    }
    return rev;
  }

  private boolean hasRevGap() {
    long high = changesAhead.isEmpty() ? knownRev : Math.max(knownRev, changesAhead.lastKey());
    return contiguousRev() < high;
  }

  /** The server has no changes to fill the gap with: never stall, go on and say so. */
  private void skipRevGap() {
    long next = changesAhead.isEmpty() ? knownRev : changesAhead.firstKey() - 1;
    LOG.warn("room {}: the server has no changes {}..{}; skipping them", name, lastRev + 1, next);
    lastRev = next;
  }

  private boolean hasGap() {
    long high = ahead.isEmpty() ? knownHigh : Math.max(knownHigh, ahead.lastKey());
    return lastSeq < high;
  }

  /** History has nothing to fill the gap with: never stall, deliver what exists and say so. */
  private void skipGap() {
    long next = ahead.isEmpty() ? knownHigh : ahead.firstKey() - 1;
    LOG.warn("room {}: the server has no messages {}..{}; skipping them", name, lastSeq + 1, next);
    lastSeq = next;
    knownHigh = Math.min(knownHigh, next);
  }

  void onPresence(String user, boolean came) {
    presence.publish(new PresenceChange(name, user, came));
  }

  void onTyping(String user) {
    typing.publish(new Typing(name, user));
  }

  void onRead(String user, long seq) {
    reads.publish(new ReadPosition(name, user, seq));
  }

  /** True once the first join was answered (so a reconnect rejoins it with {@code since}). */
  boolean isJoined() {
    return joinResult != null;
  }

  /** Left or client closed: the streams complete. */
  void end() {
    ended = true;
    messages.complete();
    presence.complete();
    typing.complete();
    reads.complete();
    changes.complete();
  }

  /** The join failed, or the client failed: the streams and the join end with {@code cause}. */
  void fail(Throwable cause) {
    ended = true;
    messages.fail(cause);
    presence.fail(cause);
    typing.fail(cause);
    reads.fail(cause);
    changes.fail(cause);
    events.post(() -> joined.completeExceptionally(cause));
  }

  CompletableFuture<JoinedRoom> joinedFuture() {
    return joined;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public JoinResult joinResult() {
    return joinResult;
  }

  @Override
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public long lastRev() {
    return lastRev;
  }

  @Override
  public Optional<Message> message(long seq) {
    return window.get(seq);
  }

  @Override
  public List<Message> recent() {
    return window.list();
  }

  @Override
  public Flow.Publisher<Change> changes() {
    return changes;
  }

  @Override
  public Registration onChange(Consumer<Change> listener) {
    return changes.listen(listener);
  }

  @Override
  public CompletableFuture<ChangeResult> edit(long seq, String text) {
    return client.edit(name, seq, text);
  }

  @Override
  public CompletableFuture<ChangeResult> delete(long seq) {
    return client.delete(name, seq);
  }

  @Override
  public CompletableFuture<ChangeResult> react(long seq, String emoji, boolean on) {
    return client.react(name, seq, emoji, on);
  }

  @Override
  public Flow.Publisher<Message> messages() {
    return messages;
  }

  @Override
  public Registration onMessage(Consumer<Message> listener) {
    return messages.listen(listener);
  }

  @Override
  public Flow.Publisher<PresenceChange> presence() {
    return presence;
  }

  @Override
  public Registration onPresence(Consumer<PresenceChange> listener) {
    return presence.listen(listener);
  }

  @Override
  public Registration onTyping(Consumer<Typing> listener) {
    return typing.listen(listener);
  }

  @Override
  public Registration onRead(Consumer<ReadPosition> listener) {
    return reads.listen(listener);
  }

  @Override
  public CompletableFuture<Void> typing() {
    return client.typing(name);
  }

  @Override
  public CompletableFuture<Long> markRead(long seq) {
    return client.markRead(name, seq);
  }

  @Override
  public CompletableFuture<Message> send(String text) {
    return client.send(name, text);
  }

  @Override
  public CompletableFuture<Void> leave() {
    return client.leave(name);
  }

  @Override
  public String toString() {
    return "room " + name + " at seq " + lastSeq + ", rev " + lastRev;
  }
}
