package io.parley.server.chat;

import io.parley.sql.StoreException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where blocking work (JDBC reads) runs, so it never holds a Jetty I/O thread. On a runtime with
 * virtual threads (21+) each task gets one; on 17 a bounded pool of named threads with a bounded
 * queue, whose overflow fails the call instead of queueing without limit.
 */
public final class BlockingWork implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BlockingWork.class);

  private final ExecutorService executor;
  private final String kind;

  public BlockingWork(int platformThreads) {
    ExecutorService virtual = virtualThreadExecutor();
    if (virtual != null) {
      executor = virtual;
      kind = "virtual threads";
    } else {
      AtomicInteger n = new AtomicInteger();
      executor = new ThreadPoolExecutor(platformThreads, platformThreads, 60, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(10_000), r -> {
            Thread t = new Thread(r, "parley-blocking-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
      kind = platformThreads + " platform threads";
    }
    LOG.info("blocking work runs on {}", kind);
  }

  /**
   * Runs {@code task} here; a {@link StoreException} it throws becomes {@code -32005}, since the
   * client can do nothing about a database that is down but retry later.
   */
  public <T> CompletableFuture<T> supply(Supplier<T> task) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return task.get();
      } catch (StoreException e) {
        LOG.warn("a read failed: {}", e.getMessage());
        throw StoreHealth.unavailable("storage is unavailable");
      }
    }, executor);
  }

  public String kind() {
    return kind;
  }

  /** {@code Executors.newVirtualThreadPerTaskExecutor()} when the runtime has it, else null. */
  private static ExecutorService virtualThreadExecutor() {
    try {
      var handle = MethodHandles.publicLookup().findStatic(java.util.concurrent.Executors.class,
          "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
      return (ExecutorService) handle.invoke();
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot create the virtual thread executor", e);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
