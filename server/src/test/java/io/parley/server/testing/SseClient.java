package io.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A Server-Sent Events session as a test sees it: {@code GET /events} read on its own thread into
 * events (id, name, data) and comments, and calls sent to {@code POST /rpc} with the session's
 * {@code Parley-Session} header. Written from the HTML standard's event-stream format, not from the
 * server's code. Every wait is bounded.
 */
public final class SseClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** One event of the stream; {@code name} is {@code message} when the event named none. */
  public record Event(String id, String name, String data) {
    public JsonObject json() {
      return JsonParser.parseString(data).getAsJsonObject();
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final InputStream body;
  private final List<Event> events = new ArrayList<>();
  private final AtomicLong ids = new AtomicLong();
  private int comments;
  private boolean ended;
  private final String session;
  private final String user;

  private SseClient(URI base, InputStream body) {
    this.base = base;
    this.body = body;
    Thread reader = new Thread(this::read, "test-sse-reader");
    reader.setDaemon(true);
    reader.start();
    Event first = await(e -> true, TIMEOUT);
    assertThat(first.name()).as("the first event of a stream").isEqualTo("session");
    this.session = first.json().get("session").getAsString();
    this.user = first.json().get("user").getAsString();
  }

  /** Opens {@code /events} with {@code query} (e.g. {@code name=alice}, or "") and headers; it must answer 200. */
  public static SseClient open(TestServer server, String query, Map<String, String> headers) {
    HttpResponse<InputStream> response = request(server, query, headers);
    assertThat(response.statusCode()).as("GET /events answered").isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/event-stream"));
    return new SseClient(server.httpUri("/"), response.body());
  }

  public static SseClient open(TestServer server, String query) {
    return open(server, query, Map.of());
  }

  /** The raw answer to {@code GET /events}: for refusals, whose body is read whole. */
  public static HttpResponse<InputStream> request(TestServer server, String query, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.httpUri("/events" + (query.isEmpty() ? "" : "?" + query)))
        .header("Accept", "text/event-stream").GET();
    headers.forEach(request::header);
    try {
      return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String session() {
    return session;
  }

  public String user() {
    return user;
  }

  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            add(new Event(id, name == null ? "message" : name, data.toString()));
          }
          id = null;
          name = null;
          data = null;
        } else if (line.startsWith(":")) {
          synchronized (this) {
            comments++;
            notifyAll();
          }
        } else if (line.startsWith("data:")) {
          String value = field(line, "data:");
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        } else if (line.startsWith("id:")) {
          id = field(line, "id:");
        } else if (line.startsWith("event:")) {
          name = field(line, "event:");
        }
      }
    } catch (IOException e) {
      // the stream was cut: that is its end
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  private static String field(String line, String prefix) {
    String value = line.substring(prefix.length());
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  private synchronized void add(Event event) {
    events.add(event);
    notifyAll();
  }

  /** The first unconsumed event matching {@code test}, consumed; fails after {@code timeout}. */
  public synchronized Event await(Predicate<Event> test, Duration timeout) {
    Event found = poll(test, timeout);
    assertThat(found).as("an event matching the test within %s (stream ended: %s, %d unconsumed events, named %s)",
        timeout, ended, events.size(), events.stream().map(Event::name).distinct().toList()).isNotNull();
    return found;
  }

  /** Like {@link #await} but {@code null} when nothing matched in time. */
  public synchronized Event poll(Predicate<Event> test, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Iterator<Event> it = events.iterator(); it.hasNext(); ) {
        Event e = it.next();
        if (test.test(e)) {
          it.remove();
          return e;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || ended) {
        return null;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** The next notification named {@code method}: its params. */
  public JsonObject awaitNotification(String method) {
    return await(e -> "message".equals(e.name()) && method.equals(e.json().get("method").getAsString()), TIMEOUT)
        .json().getAsJsonObject("params");
  }

  /** The {@code chat.message} event of {@code room} with {@code seq}: the whole event (its id too). */
  public Event awaitMessage(String room, long seq) {
    return await(e -> "message".equals(e.name()) && isMessage(e.json(), room, seq), TIMEOUT);
  }

  private static boolean isMessage(JsonObject frame, String room, long seq) {
    if (!"chat.message".equals(frame.get("method").getAsString())) {
      return false;
    }
    JsonObject params = frame.getAsJsonObject("params");
    return room.equals(params.get("room").getAsString()) && params.get("seq").getAsLong() == seq;
  }

  /** Waits until the stream has had at least {@code count} comment lines. */
  public synchronized void awaitComments(int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (comments < count && !ended && System.nanoTime() < deadline) {
      try {
        TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(comments).as("comment lines within %s", timeout).isGreaterThanOrEqualTo(count);
  }

  /** Waits for the server to end the stream; true if it did within {@code timeout}. */
  public synchronized boolean awaitEnd(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended && System.nanoTime() < deadline) {
      try {
        TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return ended;
  }

  /** The raw answer to a JSON-RPC body posted in this session. */
  public HttpResponse<String> post(String body) {
    return post(session, body);
  }

  /** The raw answer to a JSON-RPC body posted with {@code Parley-Session: sessionId}. */
  public HttpResponse<String> post(String sessionId, String body) {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/rpc")).header("Content-Type", "application/json")
        .header("Parley-Session", sessionId).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Calls {@code method} in this session: the whole response object. */
  public JsonObject call(String method, JsonElement params) {
    JsonObject request = new JsonObject();
    request.addProperty("jsonrpc", "2.0");
    request.addProperty("id", ids.incrementAndGet());
    request.addProperty("method", method);
    if (params != null) {
      request.add("params", params);
    }
    HttpResponse<String> response = post(request.toString());
    assertThat(response.statusCode()).as("POST /rpc in session: %s", response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }

  /** The result of a call, failing the test on an error. */
  public JsonObject result(String method, JsonElement params) {
    JsonObject response = call(method, params);
    assertThat(response.has("error")).as("%s answered %s", method, response).isFalse();
    return response.getAsJsonObject("result");
  }

  /** Cuts the stream from this side, as a dropped network would. */
  @Override
  public void close() {
    try {
      body.close();
    } catch (IOException e) {
      // already cut
    }
  }
}
