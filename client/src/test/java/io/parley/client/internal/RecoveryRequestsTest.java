package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.client.JoinedRoom;
import io.parley.client.ParleyClient;
import io.parley.protocol.Request;
import io.parley.protocol.types.Change;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a reconnect asks (contract 1.1), on a hand-driven transport: the rejoin carries {@code
 * since} and {@code sinceRev}, its {@code changes} reach the room's listeners, and a truncated
 * recovery pages {@code chat.changes} from the last rev it has. No socket, no real time.
 */
@Timeout(10)
class RecoveryRequestsTest {
  private final ManualScheduler clock = new ManualScheduler();
  private final FakeTransport transport = new FakeTransport();

  private ParleyClient client() {
    return transport.client(clock);
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  @Test
  void theRejoinAsksForTheChangesAfterTheLastRevAndPagesATruncatedRest() {
    ParleyClient client = client();
    client.connect();
    clock.runDue();
    FakeTransport.FakeLink first = transport.accept();
    clock.runDue();
    CompletableFuture<JoinedRoom> joining = client.join("lobby");
    clock.runDue();
    first.reply(first.last("room.join"), json(
        "{\"room\":\"lobby\",\"seq\":4,\"members\":[\"ann\"],\"missed\":[],\"truncated\":false,\"rev\":7}"));
    clock.runDue();
    assertThat(joining).isDone();
    JoinedRoom room = joining.getNow(null);
    List<Long> revs = new ArrayList<>();
    room.onChange(c -> revs.add(c.rev()));
    assertThat(room.lastRev()).isEqualTo(7);

    first.drop(1006);
    clock.advance(Duration.ofMillis(20));
    FakeTransport.FakeLink second = transport.accept();
    clock.runDue();
    Request rejoin = second.last("room.join");
    assertThat(rejoin.params().getAsJsonObject().get("since").getAsLong()).isEqualTo(4);
    assertThat(rejoin.params().getAsJsonObject().get("sinceRev").getAsLong()).isEqualTo(7);

    second.reply(rejoin, json("{\"room\":\"lobby\",\"seq\":4,\"members\":[\"ann\"],\"missed\":[],\"truncated\":true,"
        + "\"rev\":10,\"changes\":[" + change(8) + "]}"));
    clock.runDue();
    assertThat(revs).containsExactly(8L);
    Request page = second.last("chat.changes");
    assertThat(page.params().getAsJsonObject().get("after").getAsLong()).isEqualTo(8);
    second.reply(page, json("{\"changes\":[" + change(9) + "," + change(10) + "],\"truncated\":false}"));
    clock.runDue();
    assertThat(revs).containsExactly(8L, 9L, 10L);
    assertThat(room.lastRev()).isEqualTo(10);
    client.close();
    clock.runDue();
  }

  private static String change(long rev) {
    Change c = Change.react("lobby", rev, 2, "bob", "2026-01-01T00:00:00.000Z", "👍", rev % 2 == 0);
    return new com.google.gson.Gson().toJson(c);
  }
}
