package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.client.ParleyClient;
import io.parley.protocol.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A direct conversation after a reconnect, on a hand-driven transport: what arrives live before
 * {@code dm.list} answers waits behind the history and changes pages, so each seq and each rev is
 * delivered once and in order. The changes start after the rev {@code room.info} gave at the start.
 */
@Timeout(10)
class DirectCatchUpTest {
  private static final String DM = "dm.0123456789abcdef0123456789abcdef";
  private static final String TS = "2026-01-01T00:00:00.000Z";

  private final ManualScheduler clock = new ManualScheduler();
  private final FakeTransport transport = new FakeTransport();

  private ParleyClient client() {
    return transport.client(clock);
  }

  private static JsonObject json(String text) {
    return JsonParser.parseString(text).getAsJsonObject();
  }

  private static String message(long seq) {
    return "{\"room\":\"" + DM + "\",\"seq\":" + seq + ",\"from\":\"bob\",\"text\":\"t" + seq + "\",\"ts\":\"" + TS
        + "\",\"to\":\"ann\"}";
  }

  private static String change(long rev) {
    return change(rev, 3);
  }

  private static String change(long rev, long seq) {
    return "{\"room\":\"" + DM + "\",\"rev\":" + rev + ",\"seq\":" + seq + ",\"kind\":\"edit\",\"user\":\"bob\",\"ts\":\"" + TS
        + "\",\"text\":\"e" + rev + "\"}";
  }

  private static void notify(FakeTransport.FakeLink link, String method, String params) {
    link.listener.onText("{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + "}");
  }

  @Test
  void liveOnesArrivingBeforeTheCatchUpWaitBehindItsPages() {
    ParleyClient client = client();
    List<Long> seqs = new ArrayList<>();
    List<Long> revs = new ArrayList<>();
    client.onDirect(m -> seqs.add(m.seq()));
    client.onDirectChange(c -> revs.add(c.rev()));
    client.connect();
    clock.runDue();
    FakeTransport.FakeLink first = transport.accept();
    clock.runDue();
    first.reply(first.last("dm.list"), json(
        "{\"conversations\":[{\"room\":\"" + DM + "\",\"with\":\"bob\",\"seq\":2,\"lastRead\":0}]}"));
    clock.runDue();
    Request info = first.last("room.info");
    first.reply(info, json("{\"room\":\"" + DM + "\",\"seq\":2,\"rev\":5,\"members\":0,\"sessions\":0}"));
    clock.runDue();

    first.drop(1006);
    clock.advance(Duration.ofMillis(20));
    FakeTransport.FakeLink second = transport.accept();
    clock.runDue();
    notify(second, "chat.message", message(5));
    notify(second, "chat.change", change(8));
    clock.runDue();
    assertThat(seqs).as("held until the pages are in").isEmpty();
    second.reply(second.last("dm.list"), json(
        "{\"conversations\":[{\"room\":\"" + DM + "\",\"with\":\"bob\",\"seq\":5,\"lastRead\":0}]}"));
    clock.runDue();
    Request history = second.last("chat.history");
    assertThat(history.params().getAsJsonObject().get("after").getAsLong()).isEqualTo(2);
    second.reply(history, json("{\"messages\":[" + message(3) + "," + message(4) + "," + message(5) + "]}"));
    clock.runDue();
    Request changes = second.last("chat.changes");
    assertThat(changes.params().getAsJsonObject().get("after").getAsLong()).as("from room.info's rev").isEqualTo(5);
    second.reply(changes, json("{\"changes\":[" + change(6) + "," + change(7) + "," + change(8) + "]}"));
    clock.runDue();
    assertThat(seqs).containsExactly(3L, 4L, 5L);
    assertThat(revs).containsExactly(6L, 7L, 8L);

    notify(second, "chat.change", change(9));
    clock.runDue();
    assertThat(revs).containsExactly(6L, 7L, 8L, 9L);

    // a change that comes before the message it changes (a server may send them so) waits for it,
    // and the next change waits behind it
    notify(second, "chat.change", change(10, 6));
    notify(second, "chat.change", change(11, 3));
    clock.runDue();
    assertThat(revs).containsExactly(6L, 7L, 8L, 9L);
    notify(second, "chat.message", message(6));
    clock.runDue();
    assertThat(seqs).containsExactly(3L, 4L, 5L, 6L);
    assertThat(revs).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
    client.close();
    clock.runDue();
  }
}
