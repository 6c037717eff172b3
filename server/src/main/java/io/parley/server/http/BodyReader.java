package io.parley.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads one request body up to a limit without holding a thread while the bytes are on their way:
 * it reads what has arrived, then asks Jetty to call it again when more comes
 * ({@code Request.demand}). A blocking read held a pool thread per slow client, and a few hundred
 * clients trickling one byte every few seconds took every thread, {@code /health} included.
 *
 * <p>A body must arrive within {@link #DEADLINE} and, after {@link #GRACE}, at
 * {@link #MIN_BYTES_PER_SECOND} on average (or be complete); otherwise the answer is {@code 408}
 * and the connection closes. A body over the limit is read and thrown away up to
 * {@link #DRAIN_LIMIT} (so the client, still sending, gets to read the answer instead of a reset)
 * and answered {@code 413}; a body declared larger than that is answered at once. Errors are
 * answered here; only a complete body within the limit reaches the route. {@link #discard} uses
 * the same machinery to throw away the body of a request that was answered without reading it.
 *
 * <p>Threads: the reading part runs on whichever Jetty thread delivers content, one at a time; the
 * deadline check runs on Jetty's scheduler. A small state machine makes sure exactly one of them
 * answers, and that nothing reads the request once the answer is on its way.
 */
final class BodyReader implements Runnable {
  /** The longest a whole body may take to arrive. */
  static final Duration DEADLINE = Duration.ofSeconds(10);
  /** How long a body may dawdle before the minimum rate applies (a slow start, a lost packet). */
  static final Duration GRACE = Duration.ofSeconds(2);
  /** The slowest average a body may arrive at after the grace period, counted from its start. */
  static final long MIN_BYTES_PER_SECOND = 1024;
  /** How often the deadline and rate are checked. */
  private static final Duration CHECK_EVERY = Duration.ofMillis(500);
  /**
   * How much of an oversized body is still read and thrown away before answering 413. Closing
   * while the client is still sending makes its TCP stack reset the connection and lose our
   * answer (RFC 9112 section 9.6: a server should drain before it closes); past this much the
   * client has lost its answer for the sake of our bandwidth.
   */
  static final int DRAIN_LIMIT = 4 * 1024 * 1024;
  private static final double NANOS_PER_SECOND = 1e9;

  /** What a route does with a complete body that fits. */
  @FunctionalInterface
  interface Then {
    void body(byte[] body) throws Exception;
  }

  // Who owns the request: the reader while READING, nobody while WAITING for content (then the
  // deadline check may take it to DONE and answer), and DONE once an answer is decided.
  private static final int WAITING = 0;
  private static final int READING = 1;
  private static final int DONE = 2;

  private final Request request;
  private final Response response;
  private final Callback callback;
  private final int limit;
  private final Then then;
  private final long start = System.nanoTime();
  private final AtomicInteger state = new AtomicInteger(WAITING);
  private ByteArrayOutputStream body;
  private volatile long received;
  private volatile boolean tooLarge;
  /** Why the deadline check gave up on this body, once it has. */
  private volatile String expired;
  private volatile Scheduler.Task check;

  private BodyReader(Request request, Response response, Callback callback, int limit, Then then) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.limit = limit;
    this.then = then;
    long declared = request.getLength();
    this.body = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, limit)));
  }

  /**
   * Reads the body of {@code request}, then hands it to {@code then} (on a Jetty thread, which it
   * must not block), or answers 408, 413 or Jetty's error for a broken body itself.
   */
  static void read(Request request, Response response, Callback callback, int limit, Then then) {
    if (request.getLength() > DRAIN_LIMIT) {
      HttpReplies.tooLarge(response, callback, tooLargeMessage(limit));
      return;
    }
    BodyReader reader = new BodyReader(request, response, callback, limit, then);
    reader.schedule();
    reader.run();
  }

  /**
   * Throws away what arrives of the body of a request already answered without reading it, then
   * completes {@code callback} (and Jetty closes the connection, the answer saying so): up to
   * {@link #DRAIN_LIMIT}, under the same deadline and rate as a read, and without holding a thread.
   * Closing at once would make the client's TCP stack, still sending, reset the connection, and
   * it would lose the answer it has not read yet.
   */
  static void discard(Request request, Callback callback) {
    if (request.getLength() > DRAIN_LIMIT) {
      callback.succeeded();
      return;
    }
    BodyReader reader = new BodyReader(request, null, callback, 0, null);
    reader.schedule();
    reader.run();
  }

  /** Whether the request has a body at all (a declared length above 0, or chunks). */
  static boolean hasBody(Request request) {
    return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  @Override
  public void run() {
    if (!state.compareAndSet(WAITING, READING)) {
      return; // answered already; Jetty called back for content nobody wants any more
    }
    while (true) {
      if (expired != null) {
        state.set(DONE);
        answerExpired();
        return;
      }
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        state.set(WAITING);
        if (expired != null && state.compareAndSet(WAITING, DONE)) {
          answerExpired();
        } else {
          request.demand(this);
        }
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        finish();
        chunk.release();
        callback.failed(chunk.getFailure());
        return;
      }
      take(chunk.getByteBuffer());
      boolean last = chunk.isLast();
      chunk.release();
      if (last || (tooLarge && received >= DRAIN_LIMIT)) {
        finish();
        complete();
        return;
      }
    }
  }

  private void take(ByteBuffer bytes) {
    int n = bytes.remaining();
    received += n;
    if (!tooLarge && body.size() + n > limit) {
      tooLarge = true;
      body = null;
    }
    if (!tooLarge) {
      byte[] copy = new byte[n];
      bytes.get(copy);
      body.write(copy, 0, n);
    }
  }

  private void complete() {
    if (then == null) {
      callback.succeeded();
    } else if (tooLarge) {
      HttpReplies.tooLarge(response, callback, tooLargeMessage(limit));
    } else {
      handOver();
    }
  }

  private void handOver() {
    try {
      then.body(body.toByteArray());
    } catch (Exception e) {
      callback.failed(e);
    }
  }

  private void finish() {
    state.set(DONE);
    Scheduler.Task task = check;
    if (task != null) {
      task.cancel();
    }
  }

  private void schedule() {
    check = request.getComponents().getScheduler().schedule(this::check, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** On Jetty's scheduler: gives up on a body past its deadline or below the minimum rate. */
  private void check() {
    if (state.get() == DONE) {
      return;
    }
    String why = tooSlow((System.nanoTime() - start) / NANOS_PER_SECOND);
    if (why == null) {
      schedule();
      return;
    }
    expired = why;
    if (state.compareAndSet(WAITING, DONE)) {
      answerExpired();
    } // else the reader is running and answers when it sees expired
  }

  private String tooSlow(double seconds) {
    long got = received;
    if (seconds >= DEADLINE.toSeconds()) {
      return "the request body did not arrive within " + DEADLINE.toSeconds() + " s (" + got + " bytes came)";
    }
    double rated = seconds - GRACE.toSeconds();
    if (rated <= 0) {
      return null;
    }
    long expected = (long) (MIN_BYTES_PER_SECOND * rated);
    long declared = request.getLength();
    if (declared >= 0) {
      expected = Math.min(expected, declared);
    }
    return got >= expected ? null : String.format("the request body arrives too slowly: %d bytes in %.1f s;"
        + " expected at least %d bytes per second after the first %d s", got, seconds, MIN_BYTES_PER_SECOND,
        GRACE.toSeconds());
  }

  private void answerExpired() {
    if (then == null) {
      callback.succeeded();
    } else if (tooLarge) {
      HttpReplies.tooLarge(response, callback, tooLargeMessage(limit));
    } else {
      HttpReplies.closing(response);
      HttpReplies.error(response, callback, 408, expired);
    }
  }

  private static String tooLargeMessage(long limit) {
    return "the body is larger than " + limit + " bytes";
  }

  /** Decodes strictly: malformed UTF-8 is an error, not replacement characters. */
  static String utf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
