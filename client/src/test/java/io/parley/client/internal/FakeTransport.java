package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.client.ConnectionListener;
import io.parley.client.ParleyClient;
import io.parley.client.ReconnectPolicy;
import io.parley.protocol.Entry;
import io.parley.protocol.Incoming;
import io.parley.protocol.Request;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** A {@link Transport} whose connections the test opens, answers and drops by hand. */
final class FakeTransport implements Transport {
  final List<CompletableFuture<Link>> opens = new ArrayList<>();
  final List<FakeLink> links = new ArrayList<>();

  @Override
  public CompletableFuture<Link> open(URI uri, Duration timeout, Link.Listener listener) {
    CompletableFuture<Link> future = new CompletableFuture<>();
    opens.add(future);
    links.add(new FakeLink(listener));
    return future;
  }

  /** A client of user "ann" over this transport, on {@code clock}: 10 ms reconnects, callbacks inline. */
  ParleyClient client(ManualScheduler clock) {
    ClientConfig config = new ClientConfig(URI.create("ws://test/ws"), "ann", null, null, Duration.ofSeconds(1),
        Duration.ofSeconds(30), ReconnectPolicy.forever(Duration.ofMillis(10), Duration.ofMillis(10)), 4, 16,
        Duration.ofHours(1), ConnectionListener.NONE, new Random(1));
    return new RealParleyClient(config, clock, Runnable::run, gate -> this);
  }

  /** Lets the latest attempt connect. */
  FakeLink accept() {
    FakeLink link = links.get(links.size() - 1);
    opens.get(opens.size() - 1).complete(link);
    return link;
  }

  void refuse() {
    opens.get(opens.size() - 1).completeExceptionally(new java.net.ConnectException("Connection refused"));
  }

  @Override
  public void shutdown() {}

  /** A connection that answers {@code session.hello} by itself and records everything else. */
  static final class FakeLink implements Link {
    final Link.Listener listener;
    final List<Request> requests = new ArrayList<>();
    boolean closed;

    FakeLink(Link.Listener listener) {
      this.listener = listener;
    }

    @Override
    public void send(String text) {
      Incoming incoming = RpcCodec.decodeCalls(text);
      Request request = (Request) ((Entry.Valid) ((Incoming.Single) incoming).entry()).message();
      requests.add(request);
      if (request.method().equals("session.hello")) {
        reply(request, JsonParser.parseString("{\"user\":\"ann\",\"session\":\"s\",\"protocol\":\"parley/1\"}").getAsJsonObject());
      }
    }

    /** The last request of {@code method} sent on this link (there must be one). */
    Request last(String method) {
      List<Request> found = requests.stream().filter(r -> r.method().equals(method)).toList();
      assertThat(found).as(method).isNotEmpty();
      return found.get(found.size() - 1);
    }

    void reply(Request request, JsonObject result) {
      listener.onText(RpcCodec.encode(Response.success(request.id(), result)));
    }

    void drop(int code) {
      drop(code, "dropped");
    }

    void drop(int code, String reason) {
      listener.onClosed(code, reason);
    }

    @Override
    public void ping() {}

    @Override
    public void close(int code, String reason) {
      closed = true;
    }
  }
}
