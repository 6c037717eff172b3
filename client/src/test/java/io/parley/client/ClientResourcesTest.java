package io.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What can be said of shared resources without a server; the threads themselves: ClientSharedThreadsTest. */
class ClientResourcesTest {

  @Test
  void closedResourcesTakeNoNewClients() {
    ClientResources resources = ClientResources.create();
    ParleyClientBuilder builder = ParleyClient.builder().endpoint("ws://127.0.0.1:1/ws").resources(resources);
    builder.build().close();
    resources.close();
    resources.close();
    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void needsAnEventThreadAndIsNeverNull() {
    assertThatThrownBy(() -> ClientResources.create(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("eventThreads: expected at least 1, got 0");
    assertThatThrownBy(() -> ParleyClient.builder().resources(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClientThatNeverConnectedStartsNoThread() {
    // Compared as sets: another test's threads may still be ending (leaving), but none may appear.
    Set<Thread> before = clientThreads();
    try (ClientResources resources = ClientResources.create();
        ParleyClient client = ParleyClient.builder().endpoint("ws://127.0.0.1:1/ws").resources(resources).build()) {
      assertThat(client.state()).isEqualTo(ConnectionState.NEW);
      Set<Thread> started = clientThreads();
      started.removeAll(before);
      assertThat(started).isEmpty();
    }
  }

  private static Set<Thread> clientThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("parley-client-"))
        .collect(Collectors.toCollection(HashSet::new));
  }
}
