package io.parley.server.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP/1.1 request on a plain socket, written byte for byte as given: for request targets an
 * HTTP client would normalise ({@code /../}, {@code %2e%2e}) and headers it would not let a caller
 * set. Reads the status and headers, then the body until the server closes.
 */
public final class RawHttp {
  private static final int TIMEOUT_MS = 10_000;
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

  /** A status line, headers (names lower-cased) and body. */
  public record Reply(int status, Map<String, String> headers, String body) {
    /** The value of header {@code name} (any case), or {@code null}. */
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private RawHttp() {}

  /** Sends {@code method target} to 127.0.0.1:{@code port} with {@code headers} (each "Name: value") and closes. */
  public static Reply send(int port, String method, String target, String... headers) {
    StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
    boolean hasHost = false;
    boolean hasConnection = false;
    for (String header : headers) {
      request.append(header).append("\r\n");
      hasHost |= header.regionMatches(true, 0, "Host:", 0, 5);
      hasConnection |= header.regionMatches(true, 0, "Connection:", 0, 11);
    }
    if (!hasHost) {
      request.append("Host: 127.0.0.1:").append(port).append("\r\n");
    }
    request.append(hasConnection ? "" : "Connection: close\r\n").append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return parse(read(socket.getInputStream(), "HEAD".equals(method)));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + target + " on port " + port + " failed", e);
    }
  }

  /**
   * A connection left open for the caller to write a request piece by piece (a head, then a body
   * trickling in or never coming) and read the answer. Every read times out after 10 s.
   */
  public static final class Connection implements AutoCloseable {
    private final Socket socket;

    private Connection(Socket socket) {
      this.socket = socket;
    }

    /** Writes {@code text} (ASCII, CRLFs included by the caller) and flushes. */
    public Connection write(String text) {
      try {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException("write to port " + socket.getPort() + " failed", e);
      }
    }

    /** Reads one answer (not to a HEAD). */
    public Reply reply() {
      try {
        return parse(read(socket.getInputStream(), false));
      } catch (IOException e) {
        throw new UncheckedIOException("no answer on port " + socket.getPort(), e);
      }
    }

    /** Whether the server closed (or reset) the connection: reads until end of stream or the timeout. */
    public boolean closedByServer() {
      try {
        while (socket.getInputStream().read() >= 0) {
          // anything left of the answer
        }
        return true;
      } catch (java.net.SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** Opens a connection to 127.0.0.1:{@code port}. */
  public static Connection open(int port) {
    try {
      Socket socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(TIMEOUT_MS);
      return new Connection(socket);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to port " + port, e);
    }
  }

  /**
   * Reads the head, then the body: none for a 101, a 304 or an answer to HEAD; else
   * {@code Content-Length} bytes when given, or until the server closes.
   */
  private static String read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return out.toString(StandardCharsets.UTF_8);
      }
      out.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String start = out.toString(StandardCharsets.US_ASCII);
    Matcher length = CONTENT_LENGTH.matcher(start);
    if (head || start.startsWith("HTTP/1.1 101") || start.startsWith("HTTP/1.1 304")) {
      return start;
    } else if (length.find()) {
      out.write(in.readNBytes(Integer.parseInt(length.group(1))));
    } else {
      in.transferTo(out);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static Reply parse(String raw) {
    int split = raw.indexOf("\r\n\r\n");
    String head = split < 0 ? raw : raw.substring(0, split);
    String body = split < 0 ? "" : raw.substring(split + 4);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return new Reply(status, headers, body);
  }
}
