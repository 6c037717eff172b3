package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry's index of sessions by user, which direct messages are delivered by. */
class SessionRegistryTest {
  private final Transport transport = new Transport() {
    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      done.sent();
    }

    @Override
    public void close(int code, String reason) {}
  };

  private static List<String> idsOf(SessionRegistry registry, String... users) {
    List<String> ids = new ArrayList<>();
    registry.forEachOf(Set.of(users), s -> ids.add(s.id()));
    return ids;
  }

  @Test
  void sessionsAreFoundByTheirCurrentUserUntilTheyLeave() {
    SessionRegistry registry = new SessionRegistry();
    ClientSession a1 = new ClientSession("a1", "guest-1", transport, 1_000);
    ClientSession a2 = new ClientSession("a2", "ann", transport, 1_000);
    ClientSession b = new ClientSession("b", "bob", transport, 1_000);
    registry.add(a1);
    registry.add(a2);
    registry.add(b);
    assertThat(idsOf(registry, "ann")).containsExactly("a2");
    assertThat(registry.hasSessionOf("guest-1")).isTrue();

    a1.rename("ann");
    assertThat(idsOf(registry, "ann")).containsExactlyInAnyOrder("a1", "a2");
    assertThat(registry.hasSessionOf("guest-1")).as("moved, not copied").isFalse();
    b.authenticate("cid", null, null, true);
    assertThat(idsOf(registry, "bob")).isEmpty();
    assertThat(idsOf(registry, "ann", "cid")).containsExactlyInAnyOrder("a1", "a2", "b");

    registry.remove(a2);
    assertThat(idsOf(registry, "ann")).containsExactly("a1");
    a2.rename("dan"); // renamed after it left: stays out
    assertThat(registry.hasSessionOf("dan")).isFalse();
    b.lock();
    assertThat(registry.hasSessionOf("cid")).as("not authenticated").isFalse();
  }
}
