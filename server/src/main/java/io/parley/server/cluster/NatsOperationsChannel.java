package io.parley.server.cluster;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.parley.protocol.JsonText;
import io.parley.server.admin.OperationsChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations pages' channel on NATS: each node publishes its second on
 * {@link Subjects#ADMIN_FIGURES} and hears everyone else's (the connection does not echo a node's
 * own); a request to disconnect a session goes to every node on {@link Subjects#ADMIN_DISCONNECT}
 * as {@code {"node","session"}}, and only the named node acts on it. Whoever can publish on the
 * cluster's NATS is trusted already: it carries the messages themselves. Sends on the caller's
 * thread; hears on its own dispatcher's.
 */
final class NatsOperationsChannel implements OperationsChannel {
  private static final Logger LOG = LoggerFactory.getLogger(NatsOperationsChannel.class);

  private final Connection nats;
  private final String nodeId;
  private volatile Dispatcher dispatcher;

  NatsOperationsChannel(Connection nats, String nodeId) {
    this.nats = nats;
    this.nodeId = nodeId;
  }

  @Override
  public void publish(String figures) {
    send(Subjects.ADMIN_FIGURES, figures);
  }

  @Override
  public void askToDisconnect(String node, String session) {
    JsonObject ask = new JsonObject();
    ask.addProperty("node", node);
    ask.addProperty("session", session);
    send(Subjects.ADMIN_DISCONNECT, JsonText.write(ask));
  }

  private void send(String subject, String text) {
    try {
      nats.publish(subject, text.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalStateException e) {
      LOG.debug("not published on {}: {}", subject, e.getMessage());
    }
  }

  @Override
  public void onHeard(Consumer<String> figures, Consumer<String> disconnect) {
    Dispatcher d = nats.createDispatcher(msg -> {
      String text = new String(msg.getData(), StandardCharsets.UTF_8);
      if (Subjects.ADMIN_FIGURES.equals(msg.getSubject())) {
        figures.accept(text);
      } else {
        disconnectIfOurs(text, disconnect);
      }
    });
    d.subscribe(Subjects.ADMIN_FIGURES);
    d.subscribe(Subjects.ADMIN_DISCONNECT);
    dispatcher = d;
  }

  private void disconnectIfOurs(String text, Consumer<String> disconnect) {
    try {
      JsonObject ask = JsonParser.parseString(text).getAsJsonObject();
      if (nodeId.equals(ask.get("node").getAsString())) {
        disconnect.accept(ask.get("session").getAsString());
      }
    } catch (RuntimeException e) {
      LOG.debug("ignored a malformed disconnect request: {}", e.toString());
    }
  }

  @Override
  public void close() {
    Dispatcher d = dispatcher;
    if (d != null && nats.getStatus() != Connection.Status.CLOSED) {
      nats.closeDispatcher(d);
    }
  }
}
