package io.parley.client.internal;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.protocol.Entry;
import io.parley.protocol.Incoming;
import io.parley.protocol.Request;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
