package io.parley.server.chat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one room at a time: a room's next task starts when its previous one
 * completed (either way), tasks of different rooms run side by side. Used for changes, whose
 * store transaction and publication must happen in the same order on this node. A room's entry is
 * dropped once its last task is done, so idle rooms cost nothing. Thread-safe.
 */
final class RoomLanes {
  private final ConcurrentMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

  <T> CompletableFuture<T> run(String room, Supplier<CompletableFuture<T>> task) {
    AtomicReference<CompletableFuture<T>> started = new AtomicReference<>();
    tails.compute(room, (r, tail) -> {
      CompletableFuture<T> next = tail == null ? start(task)
          : tail.handle((value, failure) -> null).thenCompose(ignored -> start(task));
      started.set(next);
      return next;
    });
    CompletableFuture<T> mine = started.get();
    mine.whenComplete((value, failure) -> tails.remove(room, mine));
    return mine;
  }

  /** The task's future; a task that throws instead of failing its future fails it too. */
  private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> task) {
    try {
      return task.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
