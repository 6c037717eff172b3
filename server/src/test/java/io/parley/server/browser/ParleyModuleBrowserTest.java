package io.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.parley.server.browser.Browsers.Browser;
import io.parley.server.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code /js/parley.js} as another web app uses it: a page on a different origin (a small HTTP
 * server of the test's own) imports the module from Parley, connects to a Parley that lists that
 * origin, joins, sends and receives; then the module's error and backoff rules, in the browser.
 */
@Timeout(60)
class ParleyModuleBrowserTest {
  private static HttpServer otherApp;
  private static TestServer parley;
  private static Browser browser;
  private static ChromeDriver driver;

  @BeforeAll
  static void start() throws IOException {
    if (!Browsers.available()) {
      return;
    }
    otherApp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String appOrigin = "http://127.0.0.1:" + otherApp.getAddress().getPort();
    parley = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withAllowedOrigins(List.of(appOrigin)));
    otherApp.createContext("/", exchange -> {
      byte[] page = appPage(parley.port()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    otherApp.start();
    browser = Browsers.start();
    driver = browser.driver();
    driver.get(appOrigin + "/");
    new WebDriverWait(driver, ChatPage.TIMEOUT).withMessage(() -> "the other app did not get going: "
        + driver.findElement(By.id("out")).getText() + " " + Browsers.consoleProblems(driver))
        .until(d -> d.findElement(By.id("out")).getText().contains("widget: hello from another app"));
  }

  @BeforeEach
  void needsChromium() {
    Browsers.assumeAvailable();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (parley != null) {
      parley.close();
    }
    if (otherApp != null) {
      otherApp.stop(0);
    }
  }

  /** A third-party page: imports the module cross-origin and chats through it. */
  private static String appPage(int parleyPort) {
    return "<!doctype html><title>other app</title><pre id=\"out\"></pre>\n"
        + "<script type=\"module\">\n"
        + "import * as parley from \"http://127.0.0.1:" + parleyPort + "/js/parley.js\";\n"
        + "window.parley = parley;\n"
        + "const out = document.getElementById(\"out\");\n"
        + "const client = new parley.ParleyClient(\"ws://127.0.0.1:" + parleyPort + "/ws\", { name: \"widget\" });\n"
        + "window.client = client;\n"
        + "client.addEventListener(\"message\", (e) => { out.textContent += e.detail.from + \": \" + e.detail.text + \"\\n\"; });\n"
        + "try {\n"
        + "  await client.connect();\n"
        + "  await client.join(\"widgets\");\n"
        + "  await client.send(\"widgets\", \"hello from another app\");\n"
        + "} catch (e) { out.textContent += \"failed: \" + e.message; }\n"
        + "</script>\n";
  }

  private static Object run(String asyncScript) {
    return driver.executeAsyncScript("const done = arguments[arguments.length - 1];\n" + asyncScript);
  }

  @Test
  void aPageOfAListedOriginImportsTheModuleAndChats() {
    assertThat(run("done([client.state, client.user, [...client.rooms().entries()]]);"))
        .isEqualTo(List.of("open", "widget", List.of(List.of("widgets", 1L))));
  }

  @Test
  void anErrorReplyRejectsWithItsCodeAndData() {
    assertThat(run("client.call('room.join', {room: 'bad room!'}).then("
        + "() => done('resolved'), (e) => done([e.name, e.code, e.data.field, e instanceof parley.RpcError]));"))
        .isEqualTo(List.of("RpcError", -32602L, "room", true));
  }

  @Test
  void callsResolveWithTheirResult() {
    assertThat(run("client.call('echo', {hi: [1, 'ü']}).then((r) => done(JSON.stringify(r)), (e) => done(e.message));"))
        .isEqualTo("{\"hi\":[1,\"ü\"]}");
    assertThat(run("client.history('widgets', {limit: 5}).then((m) => done(m.map((x) => x.text)), (e) => done(e.message));"))
        .isEqualTo(List.of("hello from another app"));
  }

  @Test
  void afterCloseCallsRejectAtOnceAndNothingReconnects() {
    assertThat(run("const c = new parley.ParleyClient('ws://127.0.0.1:" + parley.port() + "/ws', {name: 'brief'});\n"
        + "c.connect().then(() => { c.close();\n"
        + "  c.call('echo', [1]).then(() => done('resolved'), (e) => done([e.name, e.code, c.state])); });"))
        .isEqualTo(List.of("ClosedError", "closed", "closed"));
  }

  @Test
  void reconnectDelaysFollowFullJitterBackoffUpToTheCeiling() {
    // A WebSocket that never connects, and a random() that always says 1 (the top of each range).
    String script = "class Refused extends EventTarget {\n"
        + "  constructor() { super(); this.readyState = 0; setTimeout(() => { this.readyState = 3;"
        + "    this.onclose({code: 1006, reason: ''}); }, 0); }\n"
        + "  close() {}\n"
        + "}\n"
        + "const delays = [];\n"
        + "const c = new parley.ParleyClient('ws://nowhere.invalid/ws', {WebSocket: Refused, random: () => RANDOM,"
        + "  minDelayMs: 10, maxDelayMs: 80});\n"
        + "c.addEventListener('state', (e) => { if (e.detail.delayMs === undefined) return;"
        + "  delays.push(e.detail.delayMs); if (delays.length === 6) { c.close(); done(delays); } });\n"
        + "c.connect().catch(() => {});";
    assertThat(run(script.replace("RANDOM", "1"))).isEqualTo(List.of(10L, 20L, 40L, 80L, 80L, 80L));
    assertThat(run(script.replace("RANDOM", "0.5"))).isEqualTo(List.of(5L, 10L, 20L, 40L, 40L, 40L));
    assertThat(run(script.replace("RANDOM", "0"))).isEqualTo(List.of(0L, 0L, 0L, 0L, 0L, 0L));
  }

  @Test
  void aShutdownsAnnouncedWaitIsTheFirstDelay() {
    // One session per close: open, then closed with CODE and REASON; random() = 0.5 of a 1000 ms ceiling.
    String script = "class Once {\n"
        + "  constructor() { this.readyState = 0; Once.last = this; setTimeout(() => { this.readyState = 1; this.onopen(); }, 0); }\n"
        + "  send(text) { const id = JSON.parse(text).id; setTimeout(() => this.onmessage({data: JSON.stringify("
        + "    {jsonrpc: '2.0', id, result: {user: 'a', session: 's', protocol: 'parley/1'}})}), 0); }\n"
        + "  close() { this.readyState = 3; }\n"
        + "}\n"
        + "const c = new parley.ParleyClient('ws://scripted/ws', {WebSocket: Once, random: () => 0.5,"
        + "  minDelayMs: 1000, maxDelayMs: 1000});\n"
        + "c.addEventListener('state', (e) => { if (e.detail.delayMs !== undefined) { c.close(); done(e.detail.delayMs); } });\n"
        + "c.connect().then(() => Once.last.onclose({code: CODE, reason: 'REASON'}));";
    BiFunction<Integer, String, Object> delay =
        (code, reason) -> run(script.replace("CODE", code.toString()).replace("REASON", reason));
    assertThat(delay.apply(1001, "server shutting down; retryAfterMs=2345; recover with since")).isEqualTo(2345L);
    assertThat(delay.apply(1001, "server shutting down; retryAfterMs=999999999; recover with since"))
        .as("cut to a minute").isEqualTo(60_000L);
    assertThat(delay.apply(1001, "server shutting down; retryAfterMs=-5; recover with since"))
        .as("garbage: the backoff").isEqualTo(500L);
    assertThat(delay.apply(1013, "retryAfterMs=2345")).as("only 1001").isEqualTo(500L);
  }

  @Test
  void recoveryDeliversMissedThenBufferedLiveMessagesOnceInSeqOrder() {
    // A scripted server: live notifications overtake the join results, repeat, and need paging.
    String script = "const sockets = [];\n"
        + "class Scripted {\n"
        + "  constructor() { this.readyState = 0; this.sent = []; sockets.push(this);\n"
        + "    setTimeout(() => { this.readyState = 1; this.onopen(); }, 0); }\n"
        + "  send(text) { const msg = JSON.parse(text);\n"
        + "    if (msg.method === 'dm.list') { setTimeout(() => this.onmessage({data: JSON.stringify({jsonrpc: '2.0',"
        + "      id: msg.id, error: {code: -32601, message: 'Method not found: a 1.0 server'}})}), 0); return; }\n"
        + "    this.sent.push(msg); }\n"
        + "  close() { this.readyState = 3; }\n"
        + "  reply(i, result) { this.onmessage({data: JSON.stringify({jsonrpc: '2.0', id: this.sent[i].id, result})}); }\n"
        + "  note(seq) { this.onmessage({data: JSON.stringify({jsonrpc: '2.0', method: 'chat.message',"
        + "    params: {room: 'r', seq, from: 'x', text: 'm' + seq, ts: '2026-01-01T00:00:00.000Z'}})}); }\n"
        + "}\n"
        + "const m = (seq) => ({room: 'r', seq, from: 'x', text: 'm' + seq, ts: '2026-01-01T00:00:00.000Z'});\n"
        + "const tick = () => new Promise((r) => setTimeout(r, 5));\n"
        + "const hello = {user: 'a', session: 's', protocol: 'parley/1'};\n"
        + "(async () => {\n"
        + "  const c = new parley.ParleyClient('ws://scripted/ws', {WebSocket: Scripted, random: () => 0});\n"
        + "  const seen = [];\n"
        + "  c.addEventListener('message', (e) => seen.push(e.detail.seq));\n"
        + "  const connected = c.connect(); await tick();\n"
        + "  let ws = sockets[0]; ws.reply(0, hello); await connected;\n"
        + "  const joined = c.join('r'); await tick();\n"
        + "  ws.note(6); ws.reply(1, {room: 'r', seq: 5, members: ['a'], missed: [], truncated: false}); await joined;\n"
        + "  ws.note(7); ws.note(7);\n"
        + "  ws.onclose({code: 1001, reason: 'restart'}); await tick(); await tick();\n"
        + "  ws = sockets[1]; ws.reply(0, hello); await tick();\n"
        + "  const rejoin = ws.sent[1].params;\n"
        + "  ws.note(11); ws.reply(1, {room: 'r', seq: 10, members: ['a'], missed: [m(8), m(9), m(10)], truncated: true});\n"
        + "  await tick();\n"
        + "  const page = ws.sent[2].params;\n"
        + "  ws.note(12); ws.reply(2, {messages: [m(10), m(11)]}); await tick();\n"
        + "  ws.note(13);\n"
        + "  c.close();\n"
        + "  done([seen, rejoin, page]);\n"
        + "})().catch((e) => done(String(e)));";
    assertThat(run(script)).isEqualTo(List.of(
        List.of(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L),
        Map.of("room", "r", "since", 7L),
        Map.of("room", "r", "after", 10L, "limit", 500L)));
  }

  @Test
  void theModuleIsServedForCrossOriginImport() {
    var response = parley.get("/js/parley.js");
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(response.body()).contains("export class ParleyClient");
  }
}
