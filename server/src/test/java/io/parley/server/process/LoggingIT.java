package io.parley.server.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The jar's log output as an operator sees it: JSON lines, session open and close lines, the version, bad settings. */
@Timeout(120)
class LoggingIT {
  private static final String TOKEN_IN_QUERY = "eyJhbGciOiJIUzI1NiJ9.never-logged.c2lnbmF0dXJl";

  @TempDir Path dataDir;

  @Test
  void jsonLinesParseAndSessionLinesCarryIdUserAndCloseCode() throws Exception {
    Map<String, String> env = Map.of("PARLEY_PORT", "0", "PARLEY_DATA_DIR", dataDir.toString(),
        "PARLEY_LOG_FORMAT", "json", "PARLEY_NODE_ID", "node-json");
    List<JsonObject> lines = new ArrayList<>();
    try (ServerProcess p = ServerProcess.start(env)) {
      URI uri = URI.create("ws://127.0.0.1:" + p.awaitPort() + "/ws?token=" + TOKEN_IN_QUERY);
      try (WsClient client = WsClient.connect(uri)) {
        client.result("session.hello", "{\"name\":\"jules\"}");
      }
      p.terminate();
      assertThat(p.awaitExit()).isEqualTo(143);
      for (String line : p.output()) {
        assertThat(line).as("every output line").doesNotContain(TOKEN_IN_QUERY).doesNotContain("never-logged");
        lines.add(JsonParser.parseString(line).getAsJsonObject()); // throws if a line is not JSON
      }
    }
    assertThat(lines).allMatch(o -> o.has("timestamp") && o.has("level") && o.has("formattedMessage"));
    JsonObject opened = only(lines, " opened: ");
    JsonObject closed = only(lines, " closed: ");
    String id = opened.getAsJsonObject("mdc").get("session").getAsString();
    assertThat(id).matches("[0-9a-f]{16}");
    assertThat(opened.get("level").getAsString()).isEqualTo("INFO");
    assertThat(message(opened)).contains("session " + id, "address=127.0.0.1", "node=node-json");
    assertThat(closed.getAsJsonObject("mdc").get("session").getAsString()).isEqualTo(id);
    assertThat(closed.getAsJsonObject("mdc").get("user").getAsString()).isEqualTo("jules");
    assertThat(message(closed)).contains("session " + id, "code=1000", "user=jules", "in=1", "out=1");
  }

  @Test
  void textLinesStartWithAnIsoTimestampInUtc() throws Exception {
    Map<String, String> env = Map.of("PARLEY_PORT", "0", "PARLEY_DATA_DIR", dataDir.toString());
    try (ServerProcess p = ServerProcess.start(env)) {
      p.awaitPort();
      p.terminate();
      assertThat(p.awaitExit()).isEqualTo(143);
      assertThat(p.output()).isNotEmpty()
          .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO|WARN|ERROR) .*"));
    }
  }

  @Test
  void aBadLogFormatOrLevelStopsWithOneLineAndExitCode2() throws Exception {
    try (ServerProcess p = ServerProcess.start(Map.of("PARLEY_LOG_FORMAT", "xml"))) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.output()).containsExactly("parley: PARLEY_LOG_FORMAT: expected text or json, got \"xml\"");
    }
    try (ServerProcess p = ServerProcess.start(Map.of(), "--log-level", "loud")) {
      assertThat(p.awaitExit()).isEqualTo(2);
      assertThat(p.output()).containsExactly("parley: PARLEY_LOG_LEVEL: expected trace, debug, info, warn or error, got \"loud\"");
    }
  }

  @Test
  void versionPrintsTheJarsVersion() throws Exception {
    try (ServerProcess p = ServerProcess.start(Map.of(), "--version")) {
      assertThat(p.awaitExit()).isZero();
      assertThat(p.output()).hasSize(1);
      assertThat(p.output().get(0)).matches("parley-server \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
  }

  private static JsonObject only(List<JsonObject> lines, String text) {
    List<JsonObject> found = lines.stream()
        .filter(o -> message(o).startsWith("session ") && message(o).contains(text)).toList();
    assertThat(found).as("lines containing \"%s\"", text).hasSize(1);
    return found.get(0);
  }

  private static String message(JsonObject line) {
    return line.get("formattedMessage").getAsString();
  }
}
