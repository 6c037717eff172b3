package io.parley.server.admin;

import io.parley.server.http.MetricsAccess;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Who may use the operations page and its endpoints: the rules of {@code /metrics} in token mode,
 * applied in both modes. With {@code PARLEY_ADMIN_TOKEN} set, the token is needed, as
 * {@code Authorization: Bearer <token>} or as the cookie the login sets; without it, only
 * clients on the node's loopback address are served (an open node's page is still not the
 * world's). The cookie is {@code <issued>.<HMAC of the issue time under the token>}: it proves the
 * token was shown without being it, and expires after {@link #LOGIN_LIFETIME} (checked here, not
 * only by the browser), so a copied cookie does not admit for ever. It is HttpOnly,
 * SameSite=Strict (no other site can make a browser send it, so the disconnect POST needs no other
 * CSRF guard), Secure when the login came over https, and lives on {@code /admin} only. Stateless
 * and thread-safe; tokens are compared in constant time and never logged.
 */
final class AdminAccess {
  static final String COOKIE = "parley_admin";
  /** How long a login lasts: a working day. */
  static final Duration LOGIN_LIFETIME = Duration.ofHours(12);
  private static final String COOKIE_TEXT = "parley admin page login v2 issued ";

  private final MetricsAccess rules;
  private final String adminToken;
  private final Clock clock;

  /** @param adminToken {@code PARLEY_ADMIN_TOKEN}, or {@code null} (loopback clients only) */
  AdminAccess(String adminToken, Clock clock) {
    this.rules = MetricsAccess.of(true, adminToken);
    this.adminToken = adminToken;
    this.clock = clock;
  }

  boolean tokenConfigured() {
    return adminToken != null;
  }

  MetricsAccess.Verdict judge(Request request) {
    List<String> cookies = new ArrayList<>();
    for (HttpCookie cookie : Request.getCookies(request)) {
      if (COOKIE.equals(cookie.getName())) {
        cookies.add(cookie.getValue());
      }
    }
    return judge(Request.getRemoteAddr(request), request.getHeaders().get(HttpHeader.AUTHORIZATION), cookies);
  }

  /** The decision from the client's address (an IP literal), its {@code Authorization} header and its login cookies' values. */
  MetricsAccess.Verdict judge(String address, String authorization, List<String> cookies) {
    if (adminToken != null) {
      for (String presented : cookies) {
        if (validLogin(presented)) {
          return MetricsAccess.Verdict.ALLOWED;
        }
      }
    }
    return rules.judge(address, authorization);
  }

  private boolean validLogin(String presented) {
    int dot = presented.indexOf('.');
    if (dot < 1 || dot > 19) {
      return false;
    }
    long issued;
    try {
      issued = Long.parseLong(presented.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    long age = clock.instant().getEpochSecond() - issued;
    if (age < 0 || age >= LOGIN_LIFETIME.toSeconds()) {
      return false;
    }
    return MessageDigest.isEqual(hmac(adminToken, issued).getBytes(StandardCharsets.US_ASCII),
        presented.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The {@code Set-Cookie} value that admits this browser for {@link #LOGIN_LIFETIME} (after a good
   * Bearer token); {@code secure} when the login came over https.
   */
  String loginCookie(boolean secure) {
    long issued = clock.instant().getEpochSecond();
    return COOKIE + "=" + issued + "." + hmac(adminToken, issued) + "; Path=/admin; Max-Age="
        + LOGIN_LIFETIME.toSeconds() + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  static String logoutCookie() {
    return COOKIE + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict";
  }

  private static String hmac(String key, long issued) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((COOKIE_TEXT + issued).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
