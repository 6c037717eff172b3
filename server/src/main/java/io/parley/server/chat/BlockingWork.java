package io.parley.server.chat;

import io.parley.protocol.RpcException;
import io.parley.server.limits.ReadLane;
import io.parley.server.rpc.IncidentLog;
import io.parley.server.rpc.RpcDispatcher;
import io.parley.sql.StoreException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where blocking work (JDBC reads) runs, so it never holds a Jetty I/O thread, and how much of it
 * the node takes on. A fixed set of named reader threads (as many as the store has read
 * connections: more would only wait in the pool) runs reads that each caller's {@link ReadLane}
 * releases; the node admits at most {@link #MAX_ADMITTED} reads at a time and answers the next
 * ones {@code -32003} at once, and a read that waited longer than {@link #MAX_WAIT_MS} for a
 * thread answers {@code -32005} instead of running late. So a flood of reads costs its senders
 * errors, never the node its heap, and never the committer its connections (it has its own).
 *
 * <p>Admission happens on the caller's thread before anything else, so a call that cannot get
 * a read (a {@code room.join}) can refuse before it has changed any state.
 *
 * <p>Threading: any thread may submit; reads run on {@code parley-read-N}.
 */
public final class BlockingWork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingWork.class);
  /** Reads admitted (waiting in a lane, queued for a thread or running) on the whole node. */
  static final int MAX_ADMITTED = 2_000;
  /** Longest a read may wait for a thread before it is answered {@code -32005} instead. */
  static final long MAX_WAIT_MS = 5_000;
  /** What a refused caller is told to wait. */
  static final long RETRY_AFTER_MS = 500;

  private final ThreadPoolExecutor executor;
  private final int maxAdmitted;
  private final AtomicInteger admitted = new AtomicInteger();
  /** Reads of the node itself (cluster catch-up): a lane like a client's. */
  private final ReadLane internal = ReadLane.unbounded();
  private final IncidentLog incidents = new IncidentLog(LOG);

  public BlockingWork(int threads) {
    this(threads, MAX_ADMITTED);
  }

  /** With another bound on admitted reads than {@link #MAX_ADMITTED} (tests fill it). */
  public BlockingWork(int threads, int maxAdmitted) {
    this.maxAdmitted = maxAdmitted;
    AtomicInteger n = new AtomicInteger();
    executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "parley-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    LOG.info("blocking work runs on {}", kind());
  }

  /** A place for one read, taken before the caller changes anything; use it with {@link #supply(Admission, ReadLane, Supplier)}. */
  public static final class Admission {
    /** False for the node's own reads: they take no place from the clients' bound, nor give one back. */
    private final boolean counted;
    private boolean used;

    private Admission(boolean counted) {
      this.counted = counted;
    }
  }

  /**
   * Takes a place for one read, or refuses at once with {@code -32003} (and {@code retryAfterMs})
   * when the node has the most reads it admits under way.
   */
  public Admission admit() {
    if (admitted.incrementAndGet() > maxAdmitted) {
      admitted.decrementAndGet();
      incidents.warn("reads-refused", "refusing reads: {} are under way on this node", maxAdmitted);
      throw busy(maxAdmitted);
    }
    return new Admission(true);
  }

  /** Gives back a place taken by {@link #admit()} that no read will use. */
  public void giveBack(Admission admission) {
    if (!admission.used) {
      admission.used = true;
      if (admission.counted) {
        admitted.decrementAndGet();
      }
    }
  }

  /** Admits and runs {@code task} in {@code lane}; a refusal is the returned future's failure. */
  public <T> CompletableFuture<T> supply(ReadLane lane, Supplier<T> task) {
    Admission admission;
    try {
      admission = admit();
    } catch (RpcException refused) {
      return CompletableFuture.failedFuture(refused);
    }
    return supply(admission, lane, task);
  }

  /**
   * Reads of the node itself (cluster catch-up), not of a client: never refused for the clients'
   * reads, which would leave a gap unfilled while clients flood the node.
   */
  public <T> CompletableFuture<T> supply(Supplier<T> task) {
    return supply(new Admission(false), internal, task);
  }

  /**
   * Runs {@code task} when {@code lane} and a reader thread allow; a {@link StoreException} it
   * throws becomes {@code -32005}, since the client can do nothing about a database that is down
   * but retry later.
   */
  public <T> CompletableFuture<T> supply(Admission admission, ReadLane lane, Supplier<T> task) {
    if (admission.used) {
      throw new IllegalStateException("an admission is good for one read");
    }
    admission.used = true;
    CompletableFuture<T> result = new CompletableFuture<>();
    lane.add(new Read<>(task, result, System.nanoTime(), admission.counted), this::start);
    return result;
  }

  private void start(ReadLane lane, ReadLane.Job job) {
    Read<?> read = (Read<?>) job;
    try {
      executor.execute(() -> {
        Runnable answer;
        try {
          answer = read.run(lane);
        } finally {
          // Released before the caller hears back, so a caller that reads again at once finds its place free.
          read.release();
          lane.finished();
        }
        answer.run();
      });
    } catch (RejectedExecutionException closed) {
      read.drop("the server is stopping");
      lane.finished();
    }
  }

  /** One admitted read and the future it answers. */
  private final class Read<T> implements ReadLane.Job {
    private final Supplier<T> task;
    private final CompletableFuture<T> result;
    private final long admittedNanos;

    private final boolean counted;

    Read(Supplier<T> task, CompletableFuture<T> result, long admittedNanos, boolean counted) {
      this.counted = counted;
      this.task = task;
      this.result = result;
      this.admittedNanos = admittedNanos;
    }

    /** Runs the read (unless it should not run any more) and answers how to complete its future. */
    Runnable run(ReadLane lane) {
      if (lane.isGone()) {
        return () -> result.completeExceptionally(StoreHealth.unavailable("the client has gone"));
      }
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - admittedNanos);
      if (waitedMs > MAX_WAIT_MS) {
        incidents.warn("reads-late", "reads wait more than {} ms for a thread; answering -32005", MAX_WAIT_MS);
        RpcException late = StoreHealth.unavailable("reads are backed up on this node (waited " + waitedMs + " ms)");
        return () -> result.completeExceptionally(late);
      }
      try {
        T value = task.get();
        return () -> result.complete(value);
      } catch (StoreException e) {
        incidents.warn("read-failed", "a read failed: {}", e.getMessage());
        return () -> result.completeExceptionally(StoreHealth.unavailable("storage is unavailable"));
      } catch (RuntimeException | Error e) {
        return () -> result.completeExceptionally(e);
      }
    }

    /** Gives the read's place in the node's bound back. */
    void release() {
      if (counted) {
        admitted.decrementAndGet();
      }
    }

    @Override
    public void drop(String why) {
      release();
      result.completeExceptionally(StoreHealth.unavailable(why));
    }
  }

  private static RpcException busy(int maxAdmitted) {
    return new RpcException(RpcDispatcher.rateLimited("this node has " + maxAdmitted + " reads under way",
        RETRY_AFTER_MS));
  }

  public String kind() {
    return executor.getCorePoolSize() + " reader threads";
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
