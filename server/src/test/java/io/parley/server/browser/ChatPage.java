package io.parley.server.browser;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.openqa.selenium.By;
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
    this.wait = (WebDriverWait) new WebDriverWait(driver, TIMEOUT).ignoring(StaleElementReferenceException.class);
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

  byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  private void type(By field, String text) {
    WebElement input = driver.findElement(field);
    input.clear();
    input.sendKeys(text);
  }
}
