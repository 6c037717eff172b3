package io.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Remote presence bookkeeping: counts per session, heartbeat replacement, expiry of silent nodes. */
class ClusterPresenceTest {
  private final ClusterPresence presence = new ClusterPresence();

  @Test
  void aUserStaysUntilItsLastSessionLeaves() {
    presence.joined("a", "r", "ann", 0);
    presence.joined("a", "r", "ann", 0);
    presence.joined("b", "r", "bob", 0);
    assertThat(presence.users("r")).containsExactly("ann", "bob");
    presence.left("a", "r", "ann", 0);
    assertThat(presence.users("r")).containsExactly("ann", "bob");
    presence.left("a", "r", "ann", 0);
    assertThat(presence.users("r")).containsExactly("bob");
  }

  @Test
  void aHeartbeatReplacesWhatWasKnownOfTheNode() {
    presence.joined("a", "r", "ann", 0);
    presence.replace("a", Map.of("s", Map.of("zed", 1)), 1);
    assertThat(presence.users("r")).isEmpty();
    assertThat(presence.users("s")).containsExactly("zed");
  }

  @Test
  void silentNodesExpireAndTheirMembersDepart() {
    presence.joined("a", "r", "ann", 1_000);
    presence.joined("b", "r", "bob", 9_000);
    assertThat(presence.silentSince(5_000)).containsExactly("a");
    assertThat(presence.remove("a")).containsExactly(new ClusterPresence.Departure("r", "ann"));
    assertThat(presence.users("r")).containsExactly("bob");
    assertThat(presence.nodeCount()).isEqualTo(1);
  }
}
