package io.parley.sql.internal;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Builds the JDBC URLs the store connects with, and the form of a URL that is safe to log.
 * Kept in one place because the H2 settings must be the same wherever H2 is opened.
 */
public final class JdbcUrls {

  /**
   * H2 settings that make it accept the PostgreSQL-flavoured migrations and queries and
   * behave like PostgreSQL where the store depends on it (lower-case names, NULLs sort last).
   */
  private static final String[] H2_SETTINGS = {
    "MODE=PostgreSQL", "DATABASE_TO_LOWER=TRUE", "DEFAULT_NULL_ORDERING=HIGH"
  };

  private JdbcUrls() {}

  /**
   * URL of the embedded database file {@code parley.mv.db} in {@code dataDir}. WRITE_DELAY=0
   * because a message is acknowledged as durable as soon as its transaction commits.
   */
  public static String embeddedH2(Path dataDir) {
    Path file = dataDir.toAbsolutePath().normalize().resolve("parley");
    return withH2Settings("jdbc:h2:file:" + file) + ";WRITE_DELAY=0";
  }

  /** Appends the H2 settings that {@code url} does not set itself. */
  public static String withH2Settings(String url) {
    StringBuilder result = new StringBuilder(url);
    String upper = url.toUpperCase(Locale.ROOT);
    for (String setting : H2_SETTINGS) {
      String key = setting.substring(0, setting.indexOf('=') + 1).toUpperCase(Locale.ROOT);
      if (!upper.contains(";" + key)) {
        result.append(';').append(setting);
      }
    }
    return result.toString();
  }

  /**
   * Returns {@code url} without anything that may hold a credential: the user-info part of
   * the authority, the PostgreSQL query string, and H2's {@code ;KEY=value} settings.
   */
  public static String forDisplay(String url) {
    if (url == null) {
      return null;
    }
    String shown = url.replaceFirst("//[^/@?;]*@", "//");
    int end = shown.length();
    for (char c : new char[] {'?', ';'}) {
      int at = shown.indexOf(c);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return shown.substring(0, end);
  }
}
