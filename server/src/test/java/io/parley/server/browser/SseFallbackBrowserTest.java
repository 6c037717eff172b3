package io.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page over Server-Sent Events, with a WebSocket user in the same room: told to use SSE
 * ({@code ?transport=sse}), and on its own behind a proxy that drops WebSocket upgrades, where the
 * client moves to SSE after two dropped upgrades. The transport badge says which is in use.
 */
@Timeout(120)
class SseFallbackBrowserTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    if (Browsers.available()) {
      server = TestServer.start(TestServer.Store.EMBEDDED);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void needsChromium() {
    Browsers.assumeAvailable();
  }

  private static String transportBadge(ChatPage page) {
    return page.driver().findElement(By.id("transport")).getText();
  }

  private static void chatsWithAWebSocketUser(ChatPage page, String room, String pageUser) {
    try (WsClient ws = server.connect()) {
      ws.result("session.hello", "{\"name\":\"wsuser\"}");
      ws.result("room.join", "{\"room\":\"" + room + "\"}");
      page.awaitMembers(pageUser, "wsuser");
      page.send("hello from the page");
      assertThat(ws.awaitNotification("chat.message").get("text").getAsString()).isEqualTo("hello from the page");
      ws.result("chat.send", "{\"room\":\"" + room + "\",\"text\":\"hello from a websocket\"}");
      page.awaitMessage("hello from a websocket");
    }
    page.awaitMembers(pageUser);
  }

  @Test
  void toldToUseSseThePageChatsWithAWebSocketUser() {
    try (Browsers.Browser browser = Browsers.start()) {
      ChatPage page = new ChatPage(browser.driver()).join(URI.create("http://127.0.0.1:" + server.port() + "/?transport=sse"),
          "sasha", "sse-told");
      assertThat(transportBadge(page)).isEqualTo("SSE");
      chatsWithAWebSocketUser(page, "sse-told", "sasha");
      Path shot = Browsers.keep("chat-sse.png", page.screenshot());
      assertThat(shot).exists();
    }
  }

  @Test
  void behindAProxyThatDropsUpgradesTheClientMovesToSseByItself() throws Exception {
    try (UpgradeDroppingProxy proxy = new UpgradeDroppingProxy(server.port());
        Browsers.Browser browser = Browsers.start()) {
      ChatPage page = new ChatPage(browser.driver()).join(URI.create("http://127.0.0.1:" + proxy.port() + "/"),
          "paula", "sse-fallback");
      assertThat(transportBadge(page)).isEqualTo("SSE");
      assertThat(proxy.dropped()).as("upgrades dropped before the client moved to SSE").isEqualTo(2);
      chatsWithAWebSocketUser(page, "sse-fallback", "paula");
      Object transport = browser.driver().executeScript("return document.getElementById('transport').dataset.transport;");
      assertThat(transport).isEqualTo("sse");
    }
  }

  @Test
  void aCutStreamIsReopenedAndWhatWasSentMeanwhileIsShownOnceInOrder() throws Exception {
    try (UpgradeDroppingProxy proxy = new UpgradeDroppingProxy(server.port());
        Browsers.Browser browser = Browsers.start();
        WsClient ws = server.connect()) {
      ws.result("room.join", "{\"room\":\"sse-cut\"}");
      ChatPage page = new ChatPage(browser.driver()).join(URI.create("http://127.0.0.1:" + proxy.port() + "/"),
          "carl", "sse-cut");
      assertThat(transportBadge(page)).isEqualTo("SSE");
      ws.result("chat.send", "{\"room\":\"sse-cut\",\"text\":\"before the cut\"}");
      page.awaitMessage("before the cut");
      proxy.cutAll();
      page.awaitState("reconnecting");
      for (int i = 1; i <= 3; i++) {
        ws.result("chat.send", "{\"room\":\"sse-cut\",\"text\":\"while cut " + i + "\"}");
      }
      page.awaitState("open");
      page.awaitMessage("while cut 3");
      ws.result("chat.send", "{\"room\":\"sse-cut\",\"text\":\"after the cut\"}");
      page.awaitMessage("after the cut");
      assertThat(page.texts()).containsSubsequence("before the cut", "while cut 1", "while cut 2", "while cut 3",
          "after the cut").doesNotHaveDuplicates();
      List<Long> seqs = page.seqs();
      assertThat(seqs).as("no gap, no repeat").isSorted().doesNotHaveDuplicates();
      assertThat(seqs.get(seqs.size() - 1) - seqs.get(0) + 1).isEqualTo(seqs.size());
      assertThat(transportBadge(page)).isEqualTo("SSE");
    }
  }

  @Test
  void aRefusedEventStreamIsNotRetried() {
    try (Browsers.Browser browser = Browsers.start()) {
      browser.driver().get("http://127.0.0.1:" + server.port() + "/");
      Object outcome = browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];\n"
          + "import('/js/parley.js').then(async (parley) => {\n"
          + "  let attempts = 0;\n"
          + "  const c = new parley.ParleyClient(parley.ParleyClient.defaultUrl(), {transports: ['sse'],"
          + "    name: '\\u202Eevil', minDelayMs: 10, maxDelayMs: 20});\n"
          + "  c.addEventListener('state', (e) => { if (e.detail.state === 'connecting' || e.detail.state === 'reconnecting') attempts++; });\n"
          + "  try { await c.connect(); done('connected'); }\n"
          + "  catch (e) { done([e.name, e.status, attempts, c.state]); }\n"
          + "});");
      assertThat(outcome).isEqualTo(List.of("RefusedError", 400L, 1L, "closed"));
    }
  }

  @Test
  void withoutAProxyThePageStaysOnWebSocket() {
    try (Browsers.Browser browser = Browsers.start()) {
      ChatPage page = new ChatPage(browser.driver()).join(URI.create("http://127.0.0.1:" + server.port() + "/"),
          "wanda", "ws-plain");
      new WebDriverWait(browser.driver(), ChatPage.TIMEOUT).until(d -> !transportBadge(page).isEmpty());
      assertThat(transportBadge(page)).isEqualTo("WebSocket");
    }
  }
}
