package io.parley.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The browser page and its scripts and styles, served from {@code web/} on the server's own
 * class path (inside the jar), so the page works without any other server or the internet; the
 * operations page has its own instance on {@code admin/}, behind its access check.
 *
 * <p>Only a path of plain segments ({@code [A-Za-z0-9_-]} first, then also dots) ending in a known
 * extension is looked up, so {@code ..}, dot files, encoded separators and directories can never
 * name a resource outside {@code web/}; {@code /} is {@code /index.html}. Every answer carries
 * {@code X-Content-Type-Options: nosniff} and a strict {@code Content-Security-Policy} (no inline
 * script or style, connections only to this server and WebSockets), and an {@code ETag}: browsers
 * revalidate each time ({@code no-cache}) and get {@code 304} while the file is unchanged. Scripts
 * also carry {@code Access-Control-Allow-Origin: *}, so pages of other origins can import the
 * client module (module scripts load in CORS mode).
 *
 * <p>Files are read once on first use and kept in memory (they are a few KiB and cannot change
 * inside a jar). Thread-safe.
 */
public final class StaticFiles {
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self' ws: wss:; "
      + "style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private static final String WEB = "web";
  private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json; charset=utf-8");

  private record Asset(byte[] body, String type, String etag) {}

  private final ClassLoader loader = StaticFiles.class.getClassLoader();
  private final Map<String, Asset> cache = new ConcurrentHashMap<>();
  private final String root;

  /** The chat page's files, under {@code web/}. */
  StaticFiles() {
    this(WEB);
  }

  /** The files under {@code root/} on the class path (the operations page has {@code admin/}). */
  public StaticFiles(String root) {
    this.root = root;
  }

  /** Whether {@code path} names a file under {@code web/}; anything else is not ours to answer. */
  public boolean serves(String path) {
    return find(path).isPresent();
  }

  /** Answers a {@code GET} or {@code HEAD} for a path that {@link #serves} said yes to. */
  public void serve(String path, Request request, Response response, Callback callback) {
    serveWithStatus(path, 200, request, response, callback);
  }

  /** Answers with the file and another status than 200 (a login form sent with 401); never 304 then. */
  public void serveWithStatus(String path, int status, Request request, Response response, Callback callback) {
    Asset asset = find(path).orElseThrow(() -> new IllegalArgumentException("not a static file: " + path));
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, asset.type);
    headers.put(HttpHeader.ETAG, asset.etag);
    headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.put("Referrer-Policy", "no-referrer");
    if (asset.type.startsWith("text/javascript")) {
      // Other web apps import /js/parley.js; module scripts load in CORS mode. Public code, no credentials.
      headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }
    String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (status == 200 && ifNoneMatch != null && (ifNoneMatch.contains(asset.etag) || "*".equals(ifNoneMatch.trim()))) {
      response.setStatus(304);
      callback.succeeded();
      return;
    }
    response.setStatus(status);
    headers.put(HttpHeader.CONTENT_LENGTH, asset.body.length);
    boolean head = "HEAD".equals(request.getMethod());
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(asset.body), callback);
  }

  private Optional<Asset> find(String path) {
    String file = "/".equals(path) ? "/index.html" : path;
    if (!SAFE_PATH.matcher(file).matches()) {
      return Optional.empty();
    }
    String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
    if (type == null) {
      return Optional.empty();
    }
    Asset cached = cache.get(file);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Asset> loaded = load(file, type);
    loaded.ifPresent(asset -> cache.put(file, asset));
    return loaded;
  }

  private Optional<Asset> load(String file, String type) {
    try (InputStream in = loader.getResourceAsStream(root + file)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] body = in.readAllBytes();
      return Optional.of(new Asset(body, type, etag(body)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + root + file + " from the class path", e);
    }
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
