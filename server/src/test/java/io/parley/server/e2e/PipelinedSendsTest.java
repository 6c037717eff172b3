package io.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many more sends in flight than the read gate lets pend: every one is answered, in order of its id. */
@Timeout(60)
class PipelinedSendsTest {

  @Test
  void aStopAnswersEveryPipelinedSend() {
    TestServer server = TestServer.start(TestServer.Store.EMBEDDED);
    try (WsClient client = server.connect()) {
      client.result("room.join", "{\"room\":\"pipe\"}");
      int sends = 100;
      for (int i = 1; i <= sends; i++) {
        client.send("{\"jsonrpc\":\"2.0\",\"id\":" + i
            + ",\"method\":\"chat.send\",\"params\":{\"room\":\"pipe\",\"text\":\"m" + i + "\"}}");
      }
      client.await(o -> o.has("id") && o.get("id").getAsLong() == 1);
      Thread stopper = new Thread(server::stopOnly);
      stopper.start();
      for (int i = 2; i <= sends; i++) {
        long id = i;
        JsonObject reply = client.await(o -> o.has("id") && o.get("id").getAsLong() == id);
        assertThat(reply.has("result") || reply.getAsJsonObject("error").get("code").getAsInt() == -32005)
            .as("reply %s", reply).isTrue();
      }
      assertThat(client.awaitClose()).isEqualTo(1001);
    } finally {
      server.close();
    }
  }

  @Test
  void aHundredPipelinedSendsAreAllAnswered() {
    try (TestServer server = TestServer.start(TestServer.Store.EMBEDDED);
        WsClient client = server.connect()) {
      client.result("room.join", "{\"room\":\"pipe\"}");
      int sends = 100;
      for (int i = 1; i <= sends; i++) {
        client.send("{\"jsonrpc\":\"2.0\",\"id\":" + i
            + ",\"method\":\"chat.send\",\"params\":{\"room\":\"pipe\",\"text\":\"m" + i + "\"}}");
      }
      for (int i = 1; i <= sends; i++) {
        long id = i;
        JsonObject reply = client.await(o -> o.has("id") && o.get("id").getAsLong() == id);
        assertThat(reply.getAsJsonObject("result").get("seq").getAsLong()).isEqualTo(i);
      }
    }
  }
}
