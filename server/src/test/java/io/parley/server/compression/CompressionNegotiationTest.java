package io.parley.server.compression;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.io.IOException;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /ws} and permessage-deflate (RFC 7692): accepted when offered with
 * {@code PARLEY_COMPRESSION=on} (the default), declined with {@code off}, and no other extension
 * ever accepted. A hand-written client checks the 101's {@code Sec-WebSocket-Extensions} and the
 * RSV1 bit of the frames themselves.
 */
@Timeout(60)
class CompressionNegotiationTest {
  private static final String EXTENSIONS = "Sec-WebSocket-Extensions";
  private static TestServer on;
  private static TestServer off;

  @BeforeAll
  static void start() {
    on = TestServer.start(TestServer.Store.EMBEDDED);
    off = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().compression(false).build());
  }

  @AfterAll
  static void stop() {
    on.close();
    off.close();
  }

  private static String request(int id, String method, String params) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
  }

  /** Reads messages until one matches (at most 50; each read times out after 10 s). */
  private static DeflateSocket.Message await(DeflateSocket socket, Predicate<JsonObject> test) throws IOException {
    for (int i = 0; i < 50; i++) {
      DeflateSocket.Message m = socket.read();
      if (m.closed()) {
        throw new AssertionError("closed with " + m.closeCode() + " while waiting");
      }
      if (test.test(JsonParser.parseString(m.text()).getAsJsonObject())) {
        return m;
      }
    }
    throw new AssertionError("no matching message in 50");
  }

  private static Predicate<JsonObject> reply(int id) {
    return o -> o.has("id") && !o.get("id").isJsonNull() && o.get("id").getAsInt() == id;
  }

  private static Predicate<JsonObject> note(String method) {
    return o -> method.equals(o.has("method") ? o.get("method").getAsString() : null);
  }

  @Test
  void anOfferIsAcceptedAndChatWorksCompressedBothWays() throws IOException {
    // As browsers offer it: client_max_window_bits without a value (Jetty does not negotiate it).
    try (DeflateSocket ann = new DeflateSocket(on.port(), "permessage-deflate; client_max_window_bits");
        DeflateSocket bob = new DeflateSocket(on.port(), "permessage-deflate")) {
      assertThat(ann.status()).startsWith("HTTP/1.1 101");
      assertThat(ann.header(EXTENSIONS)).isEqualTo("permessage-deflate");
      assertThat(bob.header(EXTENSIONS)).isEqualTo("permessage-deflate");

      ann.sendCompressed(request(1, "room.join", "{\"room\":\"squeezed\"}"));
      assertThat(await(ann, reply(1)).compressed()).isTrue();
      bob.sendCompressed(request(1, "room.join", "{\"room\":\"squeezed\"}"));
      await(bob, reply(1));

      String text = "The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog.";
      ann.sendCompressed(request(2, "chat.send", "{\"room\":\"squeezed\",\"text\":\"" + text + "\"}"));
      DeflateSocket.Message delivered = await(bob, note("chat.message"));
      assertThat(delivered.compressed()).isTrue();
      JsonObject params = JsonParser.parseString(delivered.text()).getAsJsonObject().getAsJsonObject("params");
      assertThat(params.get("text").getAsString()).isEqualTo(text);
      assertThat(params.get("from").getAsString()).startsWith("guest-");

      // A message the client chooses not to compress (RSV1 clear) is as good as a compressed one.
      bob.sendPlain(request(3, "chat.send", "{\"room\":\"squeezed\",\"text\":\"plain back\"}"));
      DeflateSocket.Message back = await(ann, note("chat.message").and(o -> o.toString().contains("plain back")));
      assertThat(back.compressed()).isTrue();
      assertThat(await(bob, reply(3)).compressed()).isTrue();
    }
  }

  @Test
  void withCompressionOffTheOfferIsDeclinedAndACompressedFrameIsAProtocolError() throws IOException {
    try (DeflateSocket raw = new DeflateSocket(off.port(), "permessage-deflate; client_max_window_bits")) {
      assertThat(raw.status()).startsWith("HTTP/1.1 101");
      assertThat(raw.header(EXTENSIONS)).isNull();
      raw.sendPlain(request(1, "echo", "[\"plain\"]"));
      DeflateSocket.Message echo = raw.read();
      assertThat(echo.compressed()).isFalse();
      assertThat(echo.text()).contains("plain");
      raw.sendCompressed(request(2, "echo", "[\"squeezed\"]"));
      assertThat(raw.read().closeCode()).isEqualTo(1002);
    }
    try (WsClient plain = off.connect()) {
      assertThat(plain.result("echo", "{\"still\":\"here\"}").toString()).contains("here");
    }
  }

  @Test
  void noOtherExtensionIsAccepted() throws IOException {
    // Jetty knows these two (test extensions); fragment;maxLength=1 would cut every reply into one-byte frames.
    try (DeflateSocket raw = new DeflateSocket(on.port(), "fragment; maxLength=1, identity")) {
      assertThat(raw.status()).startsWith("HTTP/1.1 101");
      assertThat(raw.header(EXTENSIONS)).isNull();
      raw.sendPlain(request(1, "echo", "[\"whole\"]"));
      assertThat(raw.readText()).contains("whole");
    }
    try (DeflateSocket raw = new DeflateSocket(on.port(), "fragment; maxLength=1, permessage-deflate")) {
      assertThat(raw.header(EXTENSIONS)).isEqualTo("permessage-deflate");
    }
  }

  @Test
  void anOfferWithParametersJettyCannotHonourIsDeclinedAndTheNextOneTaken() throws IOException {
    for (String offer : new String[] {"permessage-deflate; server_max_window_bits=10", "permessage-deflate; x-unknown=1"}) {
      try (DeflateSocket raw = new DeflateSocket(on.port(), offer)) {
        assertThat(raw.status()).as(offer).startsWith("HTTP/1.1 101");
        assertThat(raw.header(EXTENSIONS)).as(offer).isNull();
        raw.sendPlain(request(1, "echo", "[\"" + "compressible ".repeat(50) + "\"]"));
        assertThat(raw.read().compressed()).isFalse();
      }
    }
    try (DeflateSocket raw = new DeflateSocket(on.port(),
        "permessage-deflate; server_max_window_bits=10, permessage-deflate; server_no_context_takeover")) {
      assertThat(raw.header(EXTENSIONS).replace(" ", "")).isEqualTo("permessage-deflate;server_no_context_takeover");
      raw.sendPlain(request(1, "echo", "[\"" + "compressible ".repeat(50) + "\"]"));
      assertThat(raw.read().compressed()).isTrue();
      raw.sendPlain(request(2, "echo", "[\"" + "compressible ".repeat(50) + "\"]"));
      assertThat(raw.readText()).contains("compressible"); // inflated with the same inflater: a fresh window is fine
    }
  }

  @Test
  void withoutAnOfferNothingIsCompressed() throws IOException {
    try (DeflateSocket raw = new DeflateSocket(on.port(), null)) {
      assertThat(raw.header(EXTENSIONS)).isNull();
      raw.sendPlain(request(1, "echo", "[\"" + "compressible ".repeat(50) + "\"]"));
      assertThat(raw.read().compressed()).isFalse();
    }
  }
}
