package io.parley.server.client;

import static io.parley.server.client.ClientMethodsTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.client.ClientResources;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.client.ParleyClientBuilder;
import io.parley.protocol.types.Message;
import io.parley.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients share their threads: twenty connected clients, each of which has received a message,
 * add a handful of {@code parley-client-*} threads (each used to bring about nineteen), and once
 * they and their resources are closed those threads end. A client whose callback blocks delays
 * only itself.
 */
@Timeout(60)
class ClientSharedThreadsTest {
  private static final int CLIENTS = 20;
  /** The most they may start: the core thread, four event threads, four of Jetty (selector and workers) and its timer. */
  private static final int HANDFUL = 10;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.Store.EMBEDDED);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static ParleyClientBuilder builder(String name) {
    return ParleyClient.builder().endpoint(server.wsUri()).name(name).callTimeout(Duration.ofSeconds(10));
  }

  private static Set<Thread> clientThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("parley-client-"))
        .collect(Collectors.toSet());
  }

  @Test
  void twentyClientsShareAHandfulOfThreadsThatEndWhenAllAreClosed() throws InterruptedException {
    Set<Thread> before = clientThreads();
    int totalBefore = Thread.activeCount();
    ClientResources resources = ClientResources.create();
    List<ParleyClient> clients = new ArrayList<>();
    List<CompletableFuture<Message>> received = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        ParleyClient client = builder("share" + i).resources(resources).build();
        clients.add(client);
        get(client.connect());
        JoinedRoom room = get(client.join("shared"));
        CompletableFuture<Message> first = new CompletableFuture<>();
        room.onMessage(first::complete);
        received.add(first);
      }
      get(clients.get(0).send("shared", "hello all"));
      for (CompletableFuture<Message> message : received) {
        assertThat(get(message).text()).isEqualTo("hello all");
      }

      Set<Thread> added = clientThreads();
      added.removeAll(before);
      System.out.printf("threads: %d parley-client threads added (%s); all threads %d -> %d%n", added.size(),
          added.stream().map(Thread::getName).sorted().toList(), totalBefore, Thread.activeCount());
      assertThat(added).as("parley-client threads for %d clients", CLIENTS).hasSizeLessThanOrEqualTo(HANDFUL);
    } finally {
      clients.forEach(ParleyClient::close);
      resources.close();
    }
    assertEnd(before, "client threads still alive after close");
  }

  @Test
  void clientsOnTheDefaultResourcesShareThemAndTheyEndWithTheLastClient() throws InterruptedException {
    Set<Thread> before = clientThreads();
    List<ParleyClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        ParleyClient client = builder("dflt" + i).build();
        clients.add(client);
        get(client.connect());
      }
      Set<Thread> added = clientThreads();
      added.removeAll(before);
      assertThat(added).hasSizeLessThanOrEqualTo(HANDFUL);
      assertThat(added).as("one core thread for all").filteredOn(t -> t.getName().equals("parley-client-core"))
          .hasSizeLessThanOrEqualTo(1);
    } finally {
      clients.forEach(ParleyClient::close);
    }
    assertEnd(before, "default client threads still alive after the last client closed");
  }

  /** Every parley-client thread started since {@code before} ends (within a bound). */
  private static void assertEnd(Set<Thread> before, String what) throws InterruptedException {
    Set<Thread> left = clientThreads();
    left.removeAll(before);
    for (Thread thread : left) {
      thread.join(TimeUnit.SECONDS.toMillis(20));
    }
    assertThat(left).as(what).noneMatch(Thread::isAlive);
  }

  @Test
  void aClientWhoseCallbackBlocksDelaysOnlyItself() {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> blocking = new CompletableFuture<>();
    try (ClientResources resources = ClientResources.create(2);
        ParleyClient slow = builder("slow").resources(resources).build();
        ParleyClient quick = builder("quick").resources(resources).build()) {
      get(slow.connect());
      get(quick.connect());
      JoinedRoom slowRoom = get(slow.join("blocking"));
      JoinedRoom quickRoom = get(quick.join("blocking"));
      slowRoom.onMessage(m -> {
        blocking.complete(null);
        awaitQuietly(release);
      });
      CompletableFuture<Message> quickGot = new CompletableFuture<>();
      quickRoom.onMessage(quickGot::complete);

      get(quick.send("blocking", "one"));
      get(blocking);
      assertThat(get(quickGot).text()).as("delivered while the other client's callback blocks").isEqualTo("one");
      assertThat(get(quick.members("blocking"))).as("a call completes meanwhile").contains("slow", "quick");
      CompletableFuture<List<String>> slowCall = slow.members("blocking");
      assertThat(slowCall).as("the blocked client's own callbacks wait").isNotDone();
      release.countDown();
      assertThat(get(slowCall)).contains("slow");
    } finally {
      release.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
