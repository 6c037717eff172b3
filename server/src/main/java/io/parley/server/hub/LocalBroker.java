package io.parley.server.hub;

import io.parley.protocol.types.Message;
import java.util.List;
import java.util.function.Supplier;

/** One node: committed messages go straight to this node's hub, which gets them in commit order. */
public final class LocalBroker implements Broker {
  private final Hub hub;

  public LocalBroker(Hub hub) {
    this.hub = hub;
  }

  @Override
  public void publish(List<Message> committed) {
    hub.accept(committed);
  }

  @Override
  public void publishChanges(List<RoomChange> committed) {
    hub.acceptChanges(committed);
  }

  @Override
  public int broadcast(String notification) {
    return hub.broadcastHere(notification);
  }

  @Override
  public void subscribe(String room) {}

  @Override
  public void unsubscribe(String room) {}

  @Override
  public <T extends Covered> T readForJoin(String room, Supplier<T> read) {
    return read.get();
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public void close() {}
}
