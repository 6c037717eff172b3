package io.parley.server.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the browser tests: Debian's {@code chromium} and {@code chromium-driver}
 * at {@code /usr/bin} (other paths: system properties {@code parley.chromium} and
 * {@code parley.chromedriver}), never anything downloaded. The driver executable is given explicitly, so
 * Selenium Manager (which would try the network) is never run. Without the binaries the tests
 * skip with a message, unless {@code PARLEY_REQUIRE_BROWSER=1} (set by {@code .ci/run}), which
 * makes that a failure.
 */
final class Browsers {
  static final Path BROWSER = Path.of(System.getProperty("parley.chromium", "/usr/bin/chromium"));
  static final Path DRIVER = Path.of(System.getProperty("parley.chromedriver", "/usr/bin/chromedriver"));
  /** Screenshots and other files a person may want to look at after a run. */
  static final Path ARTIFACTS = Path.of("target", "browser-artifacts");
  /** Selenium looks for a CDP binding matching the browser and warns when it has none; these tests need none. */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  static {
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
  }

  private Browsers() {}

  private static final String MISSING = "no Chromium at " + BROWSER + " or no driver at " + DRIVER
      + " (Debian: apt-get install chromium chromium-driver)";
  private static boolean told;

  /**
   * Whether Chromium and its driver are there; for a test class's {@code @BeforeAll}, which then
   * starts nothing. Throws when they are missing and PARLEY_REQUIRE_BROWSER=1.
   */
  static boolean available() {
    if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
      return true;
    }
    if ("1".equals(System.getenv("PARLEY_REQUIRE_BROWSER"))) {
      throw new AssertionError(MISSING + " and PARLEY_REQUIRE_BROWSER=1");
    }
    return false;
  }

  /** Skips the calling test (each one is reported skipped, with the reason) when Chromium is missing. */
  static synchronized void assumeAvailable() {
    if (available()) {
      return;
    }
    if (!told) {
      told = true;
      System.err.println("SKIPPED: " + MISSING);
    }
    Assumptions.abort(MISSING);
  }

  /** A running Chromium and its throw-away profile folder; closing quits it and deletes the folder. */
  record Browser(ChromeDriver driver, Path profile) implements AutoCloseable {
    @Override
    public void close() {
      try {
        driver.quit();
      } finally {
        deleteTree(profile);
      }
    }
  }

  /** A fresh headless Chromium with its own empty profile. */
  static Browser start() {
    System.setProperty("webdriver.chrome.driver", DRIVER.toString());
    Path profile;
    try {
      profile = Files.createTempDirectory("parley-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
        "--window-size=1100,760", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(DRIVER.toString()))
        .usingAnyFreePort()
        .withSilent(true)
        .build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  /** The browser console's warnings and errors since the last call, one per line. */
  static List<String> consoleProblems(ChromeDriver driver) {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogEntry::getMessage)
        .collect(Collectors.toList());
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }

  /** Saves a PNG under {@link #ARTIFACTS} and returns where. */
  static Path keep(String name, byte[] png) {
    try {
      Files.createDirectories(ARTIFACTS);
      return Files.write(ARTIFACTS.resolve(name), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
