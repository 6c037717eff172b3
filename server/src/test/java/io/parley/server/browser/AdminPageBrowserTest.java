package io.parley.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.browser.Browsers.Browser;
import io.parley.server.testing.TestServer;
import io.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operations page in headless Chromium against a real server with an admin token: refused
 * (login form, 401s) without the token; after logging in, live uPlot plots whose canvases are
 * drawn; 50 more WebSocket connections show on the page. Keeps a screenshot as
 * {@code target/browser-artifacts/admin-page.png}.
 */
@Timeout(120)
class AdminPageBrowserTest {
  private static final String ADMIN = "an-admin-token-that-is-long-enough-0123456789";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int EXTRA = 50;
  /** Chromium's most connections to one host over HTTP/1.1. */
  private static final int BROWSER_POOL = 6;
  /** The first series' colour in app.js (connections), as canvas pixels show it. */
  private static final int[] FIRST_SERIES_RGB = {0x2f, 0x5f, 0xd0};

  private static TestServer server;
  private static Browser browser;

  @BeforeAll
  static void start() {
    if (!Browsers.available()) {
      return;
    }
    server = TestServer.start(TestServer.Store.EMBEDDED, c -> c.toBuilder().adminToken(ADMIN).build());
    browser = Browsers.start();
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
    if (server != null) {
      server.close();
    }
  }

  @Test
  void withoutTheTokenThePageAndItsEndpointsAreRefusedWithItThePlotsAreLiveAndCountConnections() {
    ChromeDriver driver = browser.driver();
    WebDriverWait wait = new WebDriverWait(driver, TIMEOUT);

    driver.get(server.httpUri("/admin").toString());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    assertThat(driver.findElements(By.cssSelector(".uplot"))).as("no plots before logging in").isEmpty();
    assertThat(statuses(driver)).as("snapshot, stream, script, disconnect without the token")
        .containsExactly(401L, 401L, 401L, 401L);

    driver.findElement(By.id("token")).sendKeys(ADMIN);
    driver.findElement(By.id("login")).click();
    wait.until(d -> "live".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));
    wait.until(d -> d.findElements(By.cssSelector(".uplot canvas")).size() == 11);
    // Two seconds make a line: wait until the first plot's first series is drawn on its canvas.
    wait.withMessage("the connections plot never drew its line")
        .until(d -> Boolean.TRUE.equals(driver.executeScript(HAS_COLOUR, FIRST_SERIES_RGB[0], FIRST_SERIES_RGB[1],
            FIRST_SERIES_RGB[2])));
    assertThat(driver.findElement(By.id("logout")).isDisplayed()).isTrue();
    Object blank = driver.executeScript(BLANK_CANVASES);
    assertThat((Long) blank).as("canvases with nothing drawn").isZero();

    long sessionsBefore = figure(driver, "fig-sessions");
    long connectionsBefore = figure(driver, "fig-connections");
    List<WsClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < EXTRA; i++) {
        clients.add(server.connect());
      }
      wait.withMessage(() -> "sessions stayed at " + figure(driver, "fig-sessions") + ", from " + sessionsBefore)
          .until(d -> figure(driver, "fig-sessions") == sessionsBefore + EXTRA);
      // Connections count every TCP connection, the browser's own too; an idle one of those (at most
      // BROWSER_POOL to one host) may end meanwhile, so their count is allowed to fall by that much.
      wait.withMessage(() -> "connections stayed at " + figure(driver, "fig-connections") + ", from " + connectionsBefore)
          .until(d -> figure(driver, "fig-connections") >= connectionsBefore + EXTRA - BROWSER_POOL);
      wait.until(d -> d.findElements(By.cssSelector("#sessions tbody tr")).size() >= EXTRA);
      Path shot = Browsers.keep("admin-page.png", driver.getScreenshotAs(OutputType.BYTES));
      System.out.println("admin page screenshot: " + shot.toAbsolutePath());
      driver.executeScript("document.querySelector('.tables').scrollIntoView()");
      Browsers.keep("admin-page-tables.png", driver.getScreenshotAs(OutputType.BYTES));

      // The operator disconnects the first listed session from the page: its client sees 1008.
      WebElement row = driver.findElement(By.cssSelector("#sessions tbody tr"));
      String id = row.getDomAttribute("data-session");
      row.findElement(By.cssSelector("button.disconnect")).click();
      wait.until(ExpectedConditions.alertIsPresent()).accept();
      wait.until(d -> d.findElement(By.id("disconnect-result")).getText().contains("close 1008"));
      wait.withMessage("no client was closed after disconnecting " + id).until(d -> clients.stream().anyMatch(WsClient::isClosed));
      WsClient closed = clients.stream().filter(WsClient::isClosed).findFirst().orElseThrow();
      assertThat(closed.awaitClose()).isEqualTo(1008);
      wait.until(d -> figure(driver, "fig-sessions") == sessionsBefore + EXTRA - 1);
    } finally {
      clients.forEach(WsClient::close);
    }
    List<String> problems = Browsers.consoleProblems(driver).stream()
        .filter(m -> !m.contains("status of 401")) // the refused requests before logging in
        .filter(m -> !m.contains("willReadFrequently")) // this test's own pixel reads
        .collect(Collectors.toList());
    assertThat(problems).as("browser console warnings and errors (CSP violations, script errors)").isEmpty();
  }

  @Test
  void onAnOpenNodeWithoutATokenTheLoopbackPageShowsLivePlotsWithoutALogin() {
    try (TestServer open = TestServer.start(TestServer.Store.EMBEDDED)) {
      ChromeDriver driver = browser.driver();
      driver.get(open.httpUri("/admin").toString());
      WebDriverWait wait = new WebDriverWait(driver, TIMEOUT);
      wait.until(d -> "live".equals(d.findElement(By.id("status")).getDomAttribute("data-state")));
      wait.withMessage("the connections plot never drew its line")
          .until(d -> Boolean.TRUE.equals(driver.executeScript(HAS_COLOUR, FIRST_SERIES_RGB[0], FIRST_SERIES_RGB[1],
              FIRST_SERIES_RGB[2])));
      assertThat(driver.findElements(By.id("login-form"))).isEmpty();
      assertThat(driver.findElement(By.id("logout")).isDisplayed()).as("nothing to log out of").isFalse();
    }
  }

  private static long figure(ChromeDriver driver, String id) {
    String text = driver.findElement(By.id(id)).getText().replace(",", "").trim();
    return text.matches("\\d+") ? Long.parseLong(text) : -1;
  }

  @SuppressWarnings("unchecked")
  private static List<Long> statuses(ChromeDriver driver) {
    return (List<Long>) driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "Promise.all([fetch('/admin/api/snapshot'), fetch('/admin/api/stream'), fetch('/admin/app.js'),"
        + " fetch('/admin/api/sessions/x/disconnect', {method: 'POST'})])"
        + ".then(rs => done(rs.map(r => r.status)), e => done([String(e)]));");
  }

  /** Whether the first plot's canvas has a pixel of the given colour (the line, not the axes). */
  private static final String HAS_COLOUR = "const [r, g, b] = arguments;"
      + "const c = document.querySelector('.uplot canvas'); const ctx = c.getContext('2d');"
      + "const px = ctx.getImageData(0, 0, c.width, c.height).data;"
      + "for (let i = 0; i < px.length; i += 4) {"
      + "  if (px[i + 3] > 0 && Math.abs(px[i] - r) < 40 && Math.abs(px[i + 1] - g) < 40"
      + "      && Math.abs(px[i + 2] - b) < 40) return true; }"
      + "return false;";

  /** How many plot canvases have no pixel drawn at all. */
  private static final String BLANK_CANVASES = "let blank = 0;"
      + "for (const c of document.querySelectorAll('.uplot canvas')) {"
      + "  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
      + "  let drawn = false; for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) { drawn = true; break; } }"
      + "  if (!drawn) blank++; }"
      + "return blank;";
}
