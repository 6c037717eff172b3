package io.parley.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the registry tells its {@link UserPresence} (the user.online / user.offline webhooks): each
 * user's first and last counted session, a session counting once it is authenticated and named.
 */
class UserPresenceTest {
  private final Transport transport = new Transport() {
    @Override
    public void sendText(ByteBuffer utf8, Completion done, boolean more) {
      done.sent();
    }

    @Override
    public void close(int code, String reason) {}
  };

  private final List<String> heard = new ArrayList<>();
  private final SessionRegistry registry = new SessionRegistry();

  {
    registry.watchUsers(new UserPresence() {
      @Override
      public void online(String user) {
        heard.add("online " + user);
      }

      @Override
      public void offline(String user) {
        heard.add("offline " + user);
      }
    });
  }

  @Test
  void firstAndLastSessionOfEachUserAndRenamesMoveASession() {
    ClientSession first = new ClientSession("s1", SessionFactory.guestName(), transport, 1_000);
    ClientSession second = new ClientSession("s2", "ann", transport, 1_000);
    registry.add(first);
    assertThat(heard).as("a made-up guest name counts for nobody").isEmpty();
    first.rename("ann");
    registry.add(second);
    assertThat(heard).containsExactly("online ann");
    second.rename("bob");
    registry.remove(first);
    registry.remove(second);
    assertThat(heard).containsExactly("online ann", "online bob", "offline ann", "offline bob");
  }

  @Test
  void aSessionCountsOnceATokenAuthenticatedIt() {
    ClientSession locked = new ClientSession("s1", SessionFactory.guestName(), transport, 1_000);
    locked.lock();
    registry.add(locked);
    locked.authenticate("cid", null, null, false);
    assertThat(heard).containsExactly("online cid");
    registry.remove(locked);
    registry.remove(locked); // removing twice says nothing more
    assertThat(heard).containsExactly("online cid", "offline cid");
  }

  @Test
  void onlyTheServersOwnGuestNamesAreGuestNames() {
    assertThat(SessionFactory.isGuestName(SessionFactory.guestName())).isTrue();
    assertThat(SessionFactory.isGuestName("guest-0a9f3c")).isTrue();
    assertThat(SessionFactory.isGuestName("guest-0A9F3C")).isFalse();
    assertThat(SessionFactory.isGuestName("guest-0a9f3")).isFalse();
    assertThat(SessionFactory.isGuestName("guest-0a9f3cd")).isFalse();
    assertThat(SessionFactory.isGuestName("guests-0a9f3")).isFalse();
    assertThat(SessionFactory.isGuestName("ann")).isFalse();
  }
}
