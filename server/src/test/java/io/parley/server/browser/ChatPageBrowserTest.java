package io.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.parley.server.browser.Browsers.Browser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The chat page in two real headless Chromium windows against a real server: what one sends the
 * other shows, markup stays text, and after a server restart the page reconnects by itself and
 * shows what was sent while it was away. Keeps a screenshot in {@code target/browser-artifacts}.
 */
@Timeout(120)
class ChatPageBrowserTest {
  private static TestServer server;
  private static Browser aliceBrowser;
  private static Browser bobBrowser;
  private static ChatPage alice;
  private static ChatPage bob;

  @BeforeAll
  static void start() {
    if (!Browsers.available()) {
      return;
    }
    server = TestServer.start(TestServer.Store.EMBEDDED);
    aliceBrowser = Browsers.start();
    bobBrowser = Browsers.start();
    alice = new ChatPage(aliceBrowser.driver());
    bob = new ChatPage(bobBrowser.driver());
  }

  @BeforeEach
  void needsChromium() {
    Browsers.assumeAvailable();
  }

  @AfterAll
  static void stop() {
    for (Browser browser : new Browser[] {aliceBrowser, bobBrowser}) {
      if (browser != null) {
        browser.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  private static URI page() {
    return server.httpUri("/");
  }

  @AfterEach
  void consoleHasNoErrors() {
    if (alice == null) {
      return;
    }
    for (ChromeDriver driver : List.of(alice.driver(), bob.driver())) {
      List<String> problems = Browsers.consoleProblems(driver).stream()
          // the restart test's refused reconnects, and the plain GET /ws that asks why each failed
          .filter(m -> !m.contains("WebSocket connection to") && !m.contains("/ws - Failed to load resource"))
          .collect(Collectors.toList());
      assertThat(problems).as("browser console warnings and errors (CSP violations, script errors)").isEmpty();
    }
  }

  @Test
  void whatOneWindowSendsTheOtherShows() {
    alice.join(page(), "alice", "lobby");
    bob.join(page(), "bob", "lobby");
    alice.awaitMembers("alice", "bob");
    bob.awaitMembers("alice", "bob");

    alice.send("hello bob, this is a message typed in one window");
    bob.awaitMessage("hello bob, this is a message typed in one window");
    bob.send("hi alice, grüße ✓ got it in the other window");
    alice.awaitMessage("hi alice, grüße ✓ got it in the other window");

    assertThat(alice.texts()).containsExactly(
        "hello bob, this is a message typed in one window", "hi alice, grüße ✓ got it in the other window");
    assertThat(bob.texts()).isEqualTo(alice.texts());
    assertThat(alice.status()).contains("open", "connected as alice");
    Path shot = Browsers.keep("chat.png", alice.screenshot());
    assertThat(shot).isNotEmptyFile();
  }

  @Test
  void typingShowsInTheOtherWindowAndTheMessageEndsItAndShownMessagesAreMarkedRead() {
    String room = "typing-page";
    alice.join(page(), "alice", room);
    bob.join(page(), "bob", room);
    alice.awaitMembers("alice", "bob");
    try (WsClient watcher = server.member("watcher", room)) {
      alice.typeWithoutSending("half a thou");
      bob.awaitTyping("alice is typing…");
      assertThat(alice.typingLine()).as("no one sees their own typing").isEmpty();
      alice.send("half a thought, finished");
      bob.awaitMessage("half a thought, finished");
      bob.awaitTyping("");
      // Both pages show the message and mark the room read up to it; the watcher hears of each.
      JsonObject read = watcher.await(f -> f.has("method") && "room.read".equals(f.get("method").getAsString())
          && "bob".equals(f.getAsJsonObject("params").get("user").getAsString()), ChatPage.TIMEOUT)
          .getAsJsonObject("params");
      assertThat(read.get("seq").getAsLong()).isEqualTo(1);
    }
  }

  @Test
  void markupInAMessageIsShownAsText() {
    String markup = "<img src=x onerror=alert(1)> <b>not bold</b> <script>alert(2)</script>";
    alice.join(page(), "alice", "markup");
    bob.join(page(), "bob", "markup");
    alice.send(markup);

    assertThat(bob.awaitMessage(markup).findElements(By.tagName("b"))).isEmpty();
    // The same from history: a page opened later draws stored messages the same way.
    bob.join(page(), "bob", "markup");
    bob.awaitMessage(markup);
    for (ChatPage page : List.of(alice, bob)) {
      assertThat(page.driver().findElements(By.cssSelector("#messages img, #messages b, #messages script")))
          .as("elements made from message text").isEmpty();
      assertNoAlert(page.driver());
    }
  }

  @Test
  void afterARestartThePageReconnectsAndShowsWhatWasSentMeanwhile() {
    String room = "restart";
    alice.join(page(), "alice", room);
    bob.join(page(), "bob", room);
    alice.send("before the restart");
    bob.awaitMessage("before the restart");
    int port = server.port();
    Path store = server.server().config().dataDir();

    // The server goes down; while it is away from its usual port the pages retry in vain, and
    // carol writes to the room through the same store on another port.
    TestServer elsewhere = server.restart();
    alice.awaitState("reconnecting");
    bob.awaitState("reconnecting");
    assertThat(elsewhere.post("/api/rooms/" + room + "/messages", "{\"text\":\"missed one\",\"from\":\"carol\"}")
        .statusCode()).isEqualTo(201);
    assertThat(elsewhere.post("/api/rooms/" + room + "/messages", "{\"text\":\"missed two\",\"from\":\"carol\"}")
        .statusCode()).isEqualTo(201);
    elsewhere.stopOnly();

    // Back on the usual port: the pages reconnect to the same URL and recover with since.
    server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.withPort(port).withDataDir(store));
    for (ChatPage page : List.of(alice, bob)) {
      page.awaitMessage("missed two");
      page.awaitState("open");
      assertThat(page.texts()).containsExactly("before the restart", "missed one", "missed two");
      assertThat(page.seqs()).containsExactly(1L, 2L, 3L);
    }
    alice.awaitMembers("alice", "bob");
    bob.send("live again");
    alice.awaitMessage("live again");

    // A plain restart on the same port: whatever arrives while the pages reconnect shows once.
    server = server.restartOnSamePort();
    assertThat(server.post("/api/rooms/" + room + "/messages", "{\"text\":\"right after the restart\",\"from\":\"carol\"}")
        .statusCode()).isEqualTo(201);
    for (ChatPage page : List.of(alice, bob)) {
      page.awaitMessage("right after the restart");
      page.awaitState("open");
      assertThat(page.seqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }
  }

  @Test
  void aPageOfAnotherOriginMayOpenASocketOnlyWhenListed() {
    alice.join(page(), "alice", "origins");
    String ownOrigin = "http://127.0.0.1:" + server.port();
    // Same server, but named differently: http://127.0.0.1:P and ws://localhost:P are other origins.
    assertThat(openSocket(alice.driver(), "ws://localhost:" + server.port() + "/ws")).isEqualTo("refused");
    assertThat(openSocket(alice.driver(), "ws://127.0.0.1:" + server.port() + "/ws")).isEqualTo("open");
    try (TestServer listing = TestServer.start(TestServer.Store.EMBEDDED,
        c -> c.withAllowedOrigins(List.of("https://app.example.com", ownOrigin)))) {
      assertThat(openSocket(alice.driver(), "ws://127.0.0.1:" + listing.port() + "/ws")).isEqualTo("open");
    }
  }

  /** Opens a WebSocket from the page's own origin; "open" or "refused". */
  private static String openSocket(ChromeDriver driver, String url) {
    Object outcome = driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "const ws = new WebSocket(arguments[0]);"
            + "ws.onopen = () => { ws.close(1000); done('open'); };"
            + "ws.onerror = () => done('refused');",
        url);
    return String.valueOf(outcome);
  }

  private static void assertNoAlert(ChromeDriver driver) {
    try {
      String text = driver.switchTo().alert().getText();
      throw new AssertionError("a script from a message ran and opened an alert: " + text);
    } catch (NoAlertPresentException expected) {
      // no script ran
    }
  }
}
