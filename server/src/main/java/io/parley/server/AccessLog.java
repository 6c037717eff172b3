package io.parley.server;

import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;

/**
 * The optional HTTP access log ({@code PARLEY_ACCESS_LOG=on}): one line per request, upgrades to
 * {@code /ws} included, through SLF4J on the logger {@value #LOGGER}, so it follows
 * {@code PARLEY_LOG_FORMAT} (text or JSON) like every other line. The path is logged without its
 * query string: a careless client may have put a token there.
 */
final class AccessLog {
  static final String LOGGER = "io.parley.access";
  /** Client address, method, path (no query), protocol, status, bytes sent, time taken, user agent. */
  static final String FORMAT = "%{client}a \"%m %U %H\" %s %O %{ms}Tms \"%{User-Agent}i\"";

  private AccessLog() {}

  static RequestLog create() {
    Slf4jRequestLogWriter writer = new Slf4jRequestLogWriter();
    writer.setLoggerName(LOGGER);
    return new CustomRequestLog(writer, FORMAT);
  }
}
