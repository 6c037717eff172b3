package io.parley.server.chat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.server.metrics.LatencyBuckets;
import io.parley.protocol.RpcException;
import io.parley.protocol.types.Message;
import io.parley.server.hub.Broker;
import io.parley.server.ws.ClientSession;
import io.parley.server.ws.WriteBatch;
import io.parley.sql.Appended;
import io.parley.sql.MessageStore;
import io.parley.sql.NewMessage;
import io.parley.sql.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for {@code chat.send}: one thread takes every send that queued up while the last
 * transaction ran and stores them in one transaction, so throughput grows with load instead of
 * being capped by one commit per message. A send is answered only after its batch committed.
 *
 * <p>Being the only writer on this node also gives ordering for free: batches commit one after
 * another and are published in list order, so each room's messages reach the {@link Broker} in
 * seq order. Publishing only hands them over: the fan-out to members runs on the hub's own
 * ordered thread, so a big room does not hold up the next commit or the acknowledgements of this one.
 *
 * <p>Storage faults: a failed commit opens the {@link StoreHealth} circuit; while it is open,
 * sends are refused with {@code -32005} at once instead of each waiting for the database, and it
 * closes by itself when a probe finds the database back. {@link SendDeadlines} answers any send
 * that waited longer than {@link SendDeadlines#DEADLINE_MS}, also one stuck behind a hanging
 * transaction. A send is acknowledged only after its commit succeeded; when that is unknown (the
 * connection broke during the commit, or the deadline passed) it is refused, and the client's
 * retry with the same {@code clientId} finds the stored message if there is one.
 *
 * <p>Threading: {@link #submit} from any thread; the store and the futures are called on the
 * committer thread {@code parley-commit}, the futures completed (and so the replies written) on
 * {@code parley-ack}, the broker called on {@code parley-commit} after each commit. Futures may also
 * be failed by {@code parley-send-deadline}; a future completes once,
 * so whichever answers first wins.
 */
public final class GroupCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  private static final int MAX_BATCH = 500;
  private static final int MAX_QUEUED = 100_000;
  private static final String STORAGE_DOWN = "storage is unavailable";

  private final MessageStore store;
  private final StoreHealth health;
  private final SendDeadlines deadlines;
  private final LinkedBlockingQueue<PendingSend> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private volatile List<PendingSend> inFlight = List.of();
  private final Thread thread;
  private final Broker broker;
  private final ExecutorService acks = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "parley-ack");
    t.setDaemon(true);
    return t;
  });
  private final DistributionSummary batchSizes;
  private final Timer commits;
  private volatile boolean stopping;
  /** Set by the committer thread before its last sweep of the queue; see {@link #submit}. */
  private volatile boolean finished;

  public GroupCommitter(MessageStore store, Broker broker, MeterRegistry registry) {
    this.store = store;
    this.broker = broker;
    this.batchSizes = DistributionSummary.builder("parley.store.batch.size")
        .description("messages per group commit").register(registry);
    this.commits = LatencyBuckets.on(Timer.builder("parley.store.commit"))
        .description("time of one group commit (one transaction storing a batch of sends)").register(registry);
    this.health = new StoreHealth(store, registry);
    this.deadlines = new SendDeadlines(queue, () -> inFlight,
        p -> p.result().completeExceptionally(health.refuse(1, "storage did not answer in time")));
    this.thread = new Thread(this::run, "parley-commit");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a message; the future completes with the stored message once it is committed.
   * {@code replyTo}: the session the reply is written to when the future completes ({@code null}
   * over HTTP), so that each session's replies of one commit leave in one write.
   */
  public CompletableFuture<Message> submit(NewMessage message, ClientSession replyTo) {
    return submit(message, replyTo, null);
  }

  /**
   * The same for a direct message to user {@code to} (contract 1.1), {@code null} for a room
   * message: the stored message is answered and published with {@code "to"}.
   */
  public CompletableFuture<Message> submit(NewMessage message, ClientSession replyTo, String to) {
    CompletableFuture<Message> result = new CompletableFuture<>();
    if (stopping) {
      result.completeExceptionally(StoreHealth.unavailable("the server is shutting down"));
    } else if (health.isDown()) {
      result.completeExceptionally(health.refuse(1, STORAGE_DOWN));
    } else {
      PendingSend pending = new PendingSend(message, replyTo, to, result, System.nanoTime());
      if (!queue.offer(pending)) {
        result.completeExceptionally(StoreHealth.unavailable("too many sends waiting for storage"));
      } else if (finished && queue.remove(pending)) {
        // Read "not stopping", then the committer stopped and swept the queue before this offer
        // landed: nobody would ever answer it. Either the sweep took it or this does, not both.
        result.completeExceptionally(StoreHealth.unavailable("the server is shutting down"));
      }
    }
    return result;
  }

  /** Storage as the committer last found it; {@code /ready} answers 503 while it is down. */
  public StoreHealth health() {
    return health;
  }

  private void run() {
    List<PendingSend> batch = new ArrayList<>(MAX_BATCH);
    while (!stopping || !queue.isEmpty()) {
      try {
        PendingSend first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        batch.removeIf(PendingSend::answered); // refused at their deadline: never store them
        if (health.isDown()) {
          refuse(batch, STORAGE_DOWN);
        } else if (!batch.isEmpty()) {
          commit(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        LOG.error("group commit failed unexpectedly", e);
        batch.forEach(p -> p.result().completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    finished = true;
    for (PendingSend left; (left = queue.poll()) != null; ) {
      left.result().completeExceptionally(StoreHealth.unavailable("the server stopped"));
    }
  }

  /**
   * Completes the futures of one commit, which writes their replies (the RPC layer chains on them)
   * on this thread: each session's replies are held by one batch and leave in one write.
   */
  private static void answer(List<PendingSend> sends, Message[] answers) {
    try (WriteBatch batch = WriteBatch.openIf(answers.length > 1)) {
      for (int i = 0; i < answers.length; i++) {
        PendingSend send = sends.get(i);
        if (send.replyTo() != null) {
          batch.hold(send.replyTo());
        }
        send.result().complete(answers[i]);
      }
    }
  }

  private void refuse(List<PendingSend> batch, String why) {
    RpcException refusal = health.refuse(batch.size(), why);
    batch.forEach(p -> p.result().completeExceptionally(refusal));
  }

  private void commit(List<PendingSend> batch) {
    List<NewMessage> messages = new ArrayList<>(batch.size());
    batch.forEach(p -> messages.add(p.message()));
    List<Appended> stored;
    long start = System.nanoTime();
    inFlight = List.copyOf(batch);
    try {
      stored = store.append(messages);
    } catch (StoreException e) {
      LOG.warn("storing {} messages failed: {}", batch.size(), e.getMessage());
      health.markDown(e.getMessage());
      refuse(batch, STORAGE_DOWN);
      return;
    } finally {
      inFlight = List.of();
    }
    commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    batchSizes.record(batch.size());
    List<Message> fresh = new ArrayList<>(batch.size());
    List<PendingSend> sends = List.copyOf(batch);
    Message[] answers = new Message[sends.size()];
    for (int i = 0; i < sends.size(); i++) {
      Appended appended = stored.get(i);
      Message answer = WireMessages.of(appended.message());
      answers[i] = sends.get(i).to() == null ? answer : answer.withTo(sends.get(i).to());
      if (!appended.duplicate()) {
        fresh.add(answers[i]);
      }
    }
    // Published before it is acknowledged: a sender that acts on its reply (edits or reacts to the
    // message it just sent) then always finds the message ahead of its change in delivery.
    if (!fresh.isEmpty()) {
      publish(fresh);
    }
    // Completing a send writes its reply (the RPC layer chains on the future): done here, the
    // writes of one batch's replies would hold up the next commit.
    acks.execute(() -> answer(sends, answers));
  }

  /** Stored is stored: a broker that fails must not turn committed sends into refusals. */
  private void publish(List<Message> fresh) {
    try {
      broker.publish(fresh);
    } catch (RuntimeException e) {
      LOG.error("publishing {} committed messages failed; members recover them with since", fresh.size(), e);
    }
  }

  /** Stops taking sends, commits what is queued (waiting up to {@code timeoutMs}) and stops. */
  public void drain(long timeoutMs) {
    stopping = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    try {
      thread.join(timeoutMs);
      acks.shutdown();
      acks.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadlines.close();
    health.close();
  }

  @Override
  public void close() {
    drain(10_000);
  }
}
