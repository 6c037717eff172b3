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
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Contract 1.1 on the chat page, in two real headless Chromium windows against a real server:
 * alice and bob exchange a direct message, bob's side list counts it unread until he has seen it,
 * bob's typing shows, alice edits, reacts and deletes and bob sees each, and reaction emoji and names
 * stay text. Keeps a screenshot, {@code target/browser-artifacts/direct.png}.
 */
@Timeout(120)
class DirectChatBrowserTest {
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

  @AfterEach
  void consoleHasNoErrors() {
    if (alice == null) {
      return;
    }
    for (ChromeDriver driver : List.of(alice.driver(), bob.driver())) {
      assertThat(Browsers.consoleProblems(driver)).as("browser console warnings and errors").isEmpty();
    }
  }

  private static URI page() {
    return server.httpUri("/");
  }

  @Test
  void twoPeopleExchangeADirectMessageAndEachSeesTheOthersEditsReactionsAndTyping() {
    alice.join(page(), "alice", "dm-lobby");
    bob.join(page(), "bob", "dm-lobby");

    // alice writes to bob; bob's side list counts it unread until he has seen it
    alice.openDirect("bob");
    alice.send("hi bob, just between us");
    alice.awaitMembers("alice"); // alice's page joined the conversation's room: she hears bob read it
    bob.awaitUnread("alice", 1);
    bob.showDirect("alice");
    bob.awaitMessage("hi bob, just between us");
    alice.awaitSeen("hi bob, just between us"); // bob's read position came back to alice

    // typing shows on the other side, and the message ends it
    bob.typeWithoutSending("hi ali");
    alice.awaitTyping("bob is typing…");
    bob.send("hi alice");
    alice.awaitMessage("hi alice");
    alice.awaitTyping("");

    // alice edits and reacts; bob sees both, and adds his own reaction
    alice.edit("hi bob, just between us", "hi bob, just between the two of us");
    bob.awaitMessage("hi bob, just between the two of us");
    assertThat(bob.shownEdited("hi bob, just between the two of us")).isTrue();
    alice.react("hi alice", "🎉");
    bob.awaitReaction("hi alice", "🎉", 1, false);
    bob.awaitReaction("hi alice", "🎉", 1, false).click();
    alice.awaitReaction("hi alice", "🎉", 2, true);
    bob.awaitReaction("hi alice", "🎉", 2, true);

    Path shot = Browsers.keep("direct.png", bob.screenshot());
    assertThat(shot).isNotEmptyFile();

    // a deletion leaves a placeholder on both sides
    alice.send("oops, wrong window");
    bob.awaitMessage("oops, wrong window");
    alice.delete("oops, wrong window");
    bob.awaitMessage("message deleted");
    assertThat(bob.texts()).doesNotContain("oops, wrong window");

    // a message while bob looks at the room is unread in his list, and read once he looks
    bob.showRoom("dm-lobby");
    alice.send("are you there?");
    bob.awaitUnread("alice", 1);
    bob.showDirect("alice");
    bob.awaitMessage("are you there?");
    alice.awaitSeen("are you there?");
    bob.showRoom("dm-lobby");
    bob.awaitUnread("alice", 0);
  }

  @Test
  void reactionEmojiAndNamesAreShownAsText() {
    String room = "dm-markup";
    String emoji = "<b>x</b>";
    alice.join(page(), "alice", room);
    try (WsClient mallory = server.member("<i>mallory</i>", room)) {
      JsonObject send = new JsonObject();
      send.addProperty("room", room);
      send.addProperty("text", "<img src=x>");
      JsonObject sent = mallory.result("chat.send", send);
      alice.awaitMessage("<img src=x>");
      JsonObject react = new JsonObject();
      react.addProperty("room", room);
      react.addProperty("seq", sent.get("seq").getAsLong());
      react.addProperty("emoji", emoji);
      react.addProperty("on", true);
      mallory.result("chat.react", react);
      alice.awaitReaction("<img src=x>", emoji, 1, false);
    }
    assertThat(alice.driver().findElements(By.cssSelector("#messages b, #messages i, #messages img")))
        .as("elements made from message text, names or emoji").isEmpty();
    assertThat(alice.driver().findElements(By.cssSelector("#messages .from")).stream()
        .map(e -> e.getText()).collect(Collectors.toList())).contains("<i>mallory</i>");
  }
}
