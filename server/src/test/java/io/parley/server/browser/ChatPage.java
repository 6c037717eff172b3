package io.parley.server.browser;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in one browser, driven the way a person uses it: type a name and a room, press
 * Join, type and press Send. Every wait has a timeout; nothing sleeps.
 */
final class ChatPage {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final WebDriverWait wait;

  ChatPage(ChromeDriver driver) {
    this.driver = driver;
    // A list re-drawn between finding an element and reading it leaves a stale reference: look again.
    this.wait = (WebDriverWait) new WebDriverWait(driver, TIMEOUT).ignoring(StaleElementReferenceException.class)
        .ignoring(ElementClickInterceptedException.class);
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Opens the page at {@code base} and joins {@code room} as {@code name}; returns once the room shows. */
  ChatPage join(URI base, String name, String room) {
    driver.get(base.toString());
    type(By.id("name"), name);
    type(By.id("room"), room);
    driver.findElement(By.id("join")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chat")));
    awaitState("open");
    return this;
  }

  /** Types a message and presses Send; returns once the input is empty again (the send was stored). */
  void send(String text) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id("send")));
    type(By.id("text"), text);
    driver.findElement(By.id("send")).click();
    wait.until(d -> d.findElement(By.id("text")).getDomProperty("value").isEmpty());
  }

  /** Types into the message box without sending. */
  void typeWithoutSending(String text) {
    type(By.id("text"), text);
  }

  /** Waits until the "typing" line reads exactly {@code line} ("" when nobody is typing). */
  void awaitTyping(String line) {
    wait.withMessage(() -> "typing line \"" + line + "\" not shown; shown: \"" + typingLine() + "\"")
        .until(d -> line.equals(typingLine()));
  }

  String typingLine() {
    return driver.findElement(By.id("typing")).getText();
  }

  /** Waits until a message with exactly this text is shown and returns its list item. */
  WebElement awaitMessage(String text) {
    return wait.withMessage(() -> "message \"" + text + "\" not shown; shown: " + texts())
        .until(d -> d.findElements(By.cssSelector("#messages li.message")).stream()
            .filter(li -> text.equals(li.findElement(By.className("text")).getText()))
            .findFirst().orElse(null));
  }

  /** The texts of the shown messages, top to bottom. */
  List<String> texts() {
    return driver.findElements(By.cssSelector("#messages li.message .text")).stream()
        .map(WebElement::getText).collect(Collectors.toList());
  }

  /** The seq of each shown message, top to bottom. */
  List<Long> seqs() {
    return driver.findElements(By.cssSelector("#messages li.message")).stream()
        .map(li -> Long.parseLong(li.getDomAttribute("data-seq"))).collect(Collectors.toList());
  }

  /** Waits until the member list is exactly these names (in the page's order, sorted). */
  void awaitMembers(String... names) {
    List<String> expected = List.of(names);
    wait.withMessage(() -> "members " + expected + " not shown; shown: " + members())
        .until(d -> members().equals(expected));
  }

  List<String> members() {
    return driver.findElements(By.cssSelector("#members li")).stream()
        .map(WebElement::getText).collect(Collectors.toList());
  }

  /** Waits until the connection indicator is in {@code state} (idle, connecting, open, reconnecting, closed). */
  void awaitState(String state) {
    wait.withMessage(() -> "connection state " + state + " not reached; status: " + status())
        .until(d -> state.equals(d.findElement(By.id("status")).getDomAttribute("data-state")));
  }

  String status() {
    WebElement status = driver.findElement(By.id("status"));
    return status.getDomAttribute("data-state") + " \"" + status.getText() + "\"";
  }

  /** Opens the conversation with {@code user} from the side list's form (a draft until its first message). */
  void openDirect(String user) {
    type(By.id("dm-to"), user);
    driver.findElement(By.id("dm-start")).click();
    wait.until(d -> ("@" + user).equals(d.findElement(By.id("room-title")).getText()));
  }

  /** Clicks the direct conversation with {@code user} in the side list; returns once it shows. */
  void showDirect(String user) {
    clickWhenReady(conversationButton(user));
    wait.until(d -> ("@" + user).equals(d.findElement(By.id("room-title")).getText()));
  }

  /** Clicks the room {@code room} in the side list; returns once it shows. */
  void showRoom(String room) {
    clickWhenReady(By.cssSelector("#conversation-list button.conversation[data-room=\"" + room + "\"]"));
    wait.until(d -> ("#" + room).equals(d.findElement(By.id("room-title")).getText()));
  }

  /** Waits until one's own message showing {@code text} is marked seen (the other user's read position passed it). */
  void awaitSeen(String text) {
    wait.withMessage(() -> "\"" + text + "\" not marked seen")
        .until(d -> awaitMessage(text).findElements(By.className("seen")).stream().anyMatch(WebElement::isDisplayed));
  }

  /** Waits until the side list shows {@code count} unread for the conversation with {@code user} (0: no badge). */
  void awaitUnread(String user, int count) {
    wait.withMessage(() -> "unread " + count + " for @" + user + " not shown; list: " + conversations())
        .until(d -> count == unread(d.findElement(conversationButton(user))));
  }

  /**
   * Finds and clicks inside one wait: the side list is drawn again whenever a conversation moves,
   * so an element found first and clicked after can be gone (stale) by then; the wait ignores that
   * and tries again with the element as it is now.
   */
  private void clickWhenReady(By by) {
    wait.until(d -> {
      WebElement button = d.findElement(by);
      if (!button.isDisplayed() || !button.isEnabled()) {
        return false;
      }
      button.click();
      return true;
    });
  }

  /** {@link #clickWhenReady} for a button inside a message, whose tools are drawn again on every change. */
  private void clickIn(WebElement message, String css) {
    wait.until(d -> {
      WebElement button = message.findElement(By.cssSelector(css));
      if (!button.isDisplayed() || !button.isEnabled()) {
        return false;
      }
      button.click();
      return true;
    });
  }

  private static By conversationButton(String user) {
    return By.cssSelector("#conversation-list button.conversation[data-with=\"" + user + "\"]");
  }

  private static int unread(WebElement button) {
    WebElement badge = button.findElement(By.className("unread"));
    return badge.isDisplayed() ? Integer.parseInt(badge.getText()) : 0;
  }

  /** The side list as "name unread" lines. */
  List<String> conversations() {
    return driver.findElements(By.cssSelector("#conversation-list button.conversation")).stream()
        .map(b -> b.findElement(By.className("name")).getText() + " " + unread(b)).collect(Collectors.toList());
  }

  /** Edits one's own message showing {@code text} to {@code newText} with its Edit button and Save. */
  void edit(String text, String newText) {
    WebElement li = awaitMessage(text);
    clickIn(li, ".tools button.edit");
    WebElement input = wait.until(d -> li.findElement(By.cssSelector(".edit-form input.edit-text")));
    input.clear();
    input.sendKeys(newText);
    clickIn(li, ".edit-form button.save");
    awaitMessage(newText);
  }

  /** Deletes one's own message showing {@code text}: Delete, then Delete? to confirm. */
  void delete(String text) {
    WebElement li = awaitMessage(text);
    clickIn(li, ".tools button.delete");
    wait.until(d -> "true".equals(li.findElement(By.cssSelector(".tools button.delete")).getDomAttribute("data-confirm")));
    clickIn(li, ".tools button.delete");
  }

  /** Reacts to the message showing {@code text} with one of the React button's emoji. */
  void react(String text, String emoji) {
    WebElement li = awaitMessage(text);
    clickIn(li, ".tools button.react");
    clickIn(li, ".tools .picker button.pick[data-emoji=\"" + emoji + "\"]");
  }

  /** Waits until the message showing {@code text} has {@code count} reactions {@code emoji}, pressed or not by this user. */
  WebElement awaitReaction(String text, String emoji, int count, boolean mine) {
    return wait.withMessage(() -> "reaction " + emoji + " " + count + " on \"" + text + "\" not shown")
        .until(d -> awaitMessage(text).findElements(By.cssSelector(".reactions button.reaction")).stream()
            .filter(b -> emoji.equals(b.findElement(By.className("emoji")).getText())
                && String.valueOf(count).equals(b.findElement(By.className("count")).getText())
                && String.valueOf(mine).equals(b.getDomAttribute("aria-pressed")))
            .findFirst().orElse(null));
  }

  /** Whether the message showing {@code text} shows its "(edited)" marker. */
  boolean shownEdited(String text) {
    return awaitMessage(text).findElement(By.className("edited")).isDisplayed();
  }

  byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  private void type(By field, String text) {
    WebElement input = driver.findElement(field);
    input.clear();
    input.sendKeys(text);
  }
}
