package io.parley.server.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.server.Version;
import io.parley.server.config.WebhookSettings;
import io.parley.sql.StoreException;
import io.parley.sql.WebhookOutbox;
import io.parley.sql.WebhookOutbox.Claim;
import io.parley.sql.WebhookOutbox.Event;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhook outbox to the app's backend: claims the due events, POSTs them as one signed
 * JSON array, deletes them on a 2xx answer and reschedules them with exponential backoff and jitter
 * on anything else (another status, a timeout, a refused connection), until they are older than the
 * configured max age; then they are dropped with a WARN line and counted.
 *
 * <p>Order: the outbox hands out a room's events in order and never one while an earlier one of
 * its room waits (for a retry, or in another node's claim), and a batch is POSTed and settled
 * before the next is claimed, so a room's later event never leaves before an earlier one was
 * delivered (or dropped). In a cluster every node runs a sender; the claim's row locks make each
 * event in flight on one node at a time.
 *
 * <p>Threading: one thread, {@value #THREAD_NAME}, does all the work; {@link #close} from any
 * thread. The claim holds a connection of the store's read pool while its POST runs (at most
 * {@link #REQUEST_TIMEOUT}). The gauges read values that thread refreshes every {@link
 * #STATS_INTERVAL}.
 */
public final class WebhookSender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

  static final String THREAD_NAME = "parley-webhooks";
  /** Most events in one request: a few hundred KiB of JSON at most. */
  static final int BATCH = 100;
  /** How long the sender waits before looking again when nothing was due. */
  static final Duration IDLE_POLL = Duration.ofMillis(100);
  /** Wait after the database failed, before trying again. */
  static final Duration STORE_RETRY = Duration.ofSeconds(1);
  /** First retry delay after a failed request; it doubles with each failure of the same events. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  /** The longest retry delay. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** A request not answered within this counts as failed. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  static final Duration STATS_INTERVAL = Duration.ofSeconds(1);
  /** How long {@link #close} waits for a request in flight. */
  private static final long CLOSE_WAIT_MS = 2_000;

  private final WebhookOutbox outbox;
  private final WebhookSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private final Thread thread;
  private final Counter delivered;
  private final Counter failures;
  private final Counter dropped;
  private final AtomicLong depth = new AtomicLong();
  private final AtomicLong oldestAgeMs = new AtomicLong();
  private volatile boolean running = true;
  /** The request the sender thread waits for, so that {@link #close} can abandon it. */
  private volatile CompletableFuture<HttpResponse<Void>> inFlight;
  private long nextStatsNanos;
  private long lastStoreWarnNanos;

  public WebhookSender(WebhookOutbox outbox, WebhookSettings settings, Clock clock, MeterRegistry registry) {
    this.outbox = outbox;
    this.settings = settings;
    this.clock = clock;
    // HTTP/1.1: no h2c upgrade headers on plain http, which some backends' servers refuse on a POST
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
    this.delivered = Counter.builder("parley.webhooks.delivered")
        .description("webhook events the backend acknowledged with 2xx").register(registry);
    this.failures = Counter.builder("parley.webhooks.failures")
        .description("webhook requests that failed (non-2xx, timeout, no connection); their events are retried")
        .register(registry);
    this.dropped = Counter.builder("parley.webhooks.dropped")
        .description("webhook events dropped undelivered after the max age (PARLEY_WEBHOOK_MAX_AGE_S)")
        .register(registry);
    Gauge.builder("parley.webhooks.outbox.depth", depth, AtomicLong::get)
        .description("webhook events waiting in the outbox (all nodes' shared table)").register(registry);
    Gauge.builder("parley.webhooks.outbox.oldest.age", oldestAgeMs, ms -> ms.get() / 1000.0).baseUnit("seconds")
        .description("age of the oldest webhook event waiting in the outbox; 0 when it is empty").register(registry);
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
  }

  /** Starts the sender thread. */
  public void start() {
    thread.start();
    LOG.info("Webhooks on: events are POSTed to {} (retried for up to {} s)", settings.displayUrl(),
        settings.maxAge().toSeconds());
  }

  private void run() {
    while (running) {
      try {
        refreshStats();
        if (!sendOneBatch()) {
          pause(IDLE_POLL);
        }
      } catch (StoreException e) {
        warnStore(e);
        pause(STORE_RETRY);
      } catch (RuntimeException e) {
        LOG.error("webhook sender failed; going on after a pause", e);
        pause(STORE_RETRY);
      }
    }
  }

  /** Claims, sends and settles one batch; false if nothing was due. */
  private boolean sendOneBatch() {
    Instant now = clock.instant();
    try (Claim claim = outbox.claim(BATCH, now)) {
      List<Event> events = claim.events();
      if (events.isEmpty()) {
        return false;
      }
      List<Event> due = dropExpired(claim, events, now);
      if (due.isEmpty()) {
        return true;
      }
      if (post(due)) {
        claim.delete(due);
        delivered.increment(due.size());
      } else if (running) { // else closing: the events stay as they are
        failures.increment();
        claim.retryAt(due, now.plus(backoff(due)));
      }
      return true;
    }
  }

  /** Deletes the events older than the max age; returns the rest. */
  private List<Event> dropExpired(Claim claim, List<Event> events, Instant now) {
    Instant limit = now.minus(settings.maxAge());
    List<Event> expired = new ArrayList<>();
    List<Event> due = new ArrayList<>(events.size());
    for (Event e : events) {
      (e.createdAt().isBefore(limit) ? expired : due).add(e);
    }
    if (!expired.isEmpty()) {
      claim.delete(expired);
      dropped.increment(expired.size());
      Event first = expired.get(0);
      LOG.warn("dropped {} webhook event(s) not delivered within {} s, the oldest {} ({}, {} attempts)",
          expired.size(), settings.maxAge().toSeconds(), first.eventId(), first.type(), first.attempts());
    }
    return due;
  }

  /** POSTs the events; true if the backend answered 2xx. */
  private boolean post(List<Event> events) {
    String body = WebhookBody.of(events);
    long t = clock.instant().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(settings.url())
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", "Parley/" + Version.current())
        .header(WebhookSignature.HEADER, WebhookSignature.header(settings.secret(), t, body))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    inFlight = answer;
    if (!running) {
      answer.cancel(true); // close() may have looked before inFlight was set
    }
    try {
      int status = answer.get().statusCode();
      if (status >= 200 && status < 300) {
        return true;
      }
      LOG.info("webhook request of {} event(s) answered {}; retrying later", events.size(), status);
    } catch (ExecutionException e) {
      LOG.info("webhook request of {} event(s) failed ({}); retrying later", events.size(), e.getCause().toString());
    } catch (CancellationException | InterruptedException e) {
      // closing: the events stay in the outbox
    } finally {
      inFlight = null;
    }
    return false;
  }

  /**
   * The wait before the events are tried again: {@link #FIRST_BACKOFF} doubled per earlier
   * failure, at most {@link #MAX_BACKOFF}, times a random factor from 0.5 to 1 so that many
   * senders (or nodes) failing at once do not come back in step.
   */
  static Duration backoff(List<Event> events) {
    int attempts = 0;
    for (Event e : events) {
      attempts = Math.max(attempts, e.attempts());
    }
    long ms = FIRST_BACKOFF.toMillis() << Math.min(attempts, 16);
    ms = Math.min(ms, MAX_BACKOFF.toMillis());
    return Duration.ofMillis((long) (ms * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5)));
  }

  private void refreshStats() {
    long nowNanos = System.nanoTime();
    if (nowNanos - nextStatsNanos < 0) {
      return;
    }
    nextStatsNanos = nowNanos + STATS_INTERVAL.toNanos();
    WebhookOutbox.Stats stats = outbox.stats();
    depth.set(stats.depth());
    oldestAgeMs.set(stats.oldest() == null ? 0
        : Math.max(0, Duration.between(stats.oldest(), clock.instant()).toMillis()));
  }

  /** One WARN line per {@link #STATS_INTERVAL} at most while the database fails. */
  private void warnStore(StoreException e) {
    long nowNanos = System.nanoTime();
    if (nowNanos - lastStoreWarnNanos > STATS_INTERVAL.toNanos() * 10 || lastStoreWarnNanos == 0) {
      lastStoreWarnNanos = nowNanos;
      LOG.warn("webhook outbox unavailable: {}", e.getMessage());
    }
  }

  private void pause(Duration d) {
    if (running) {
      LockSupport.parkNanos(this, d.toNanos());
    }
  }

  /**
   * Stops the thread; a request in flight is abandoned and its events stay in the outbox. The thread
   * is woken, not interrupted: an interrupt inside the embedded H2 store's file I/O would close the
   * database's file under the other threads.
   */
  @Override
  public void close() {
    running = false;
    CompletableFuture<HttpResponse<Void>> answer = inFlight;
    if (answer != null) {
      answer.cancel(true);
    }
    LockSupport.unpark(thread);
    try {
      thread.join(CLOSE_WAIT_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("webhook sender did not stop within {} ms", CLOSE_WAIT_MS);
    }
  }
}
