package io.parley.server.admin;

import io.parley.server.http.MetricsAccess;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
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
 * world's). The cookie holds an HMAC of a fixed text under the token, not the token, so it
 * proves the token was shown without being it; it is HttpOnly, SameSite=Strict (no other site
 * can make a browser send it, so the disconnect POST needs no other CSRF guard) and lives on
 * {@code /admin} only. Stateless and thread-safe; tokens are compared in constant time and never logged.
 */
final class AdminAccess {
  static final String COOKIE = "parley_admin";
  private static final String COOKIE_TEXT = "parley admin page session v1";

  private final MetricsAccess rules;
  private final String cookieValue;

  /** @param adminToken {@code PARLEY_ADMIN_TOKEN}, or {@code null} (loopback clients only) */
  AdminAccess(String adminToken) {
    this.rules = MetricsAccess.of(true, adminToken);
    this.cookieValue = adminToken == null ? null : hmac(adminToken);
  }

  boolean tokenConfigured() {
    return cookieValue != null;
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
    if (cookieValue != null) {
      byte[] expected = cookieValue.getBytes(StandardCharsets.US_ASCII);
      for (String presented : cookies) {
        if (MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.US_ASCII))) {
          return MetricsAccess.Verdict.ALLOWED;
        }
      }
    }
    return rules.judge(address, authorization);
  }

  /** The {@code Set-Cookie} value that admits this browser from now on (after a good Bearer token). */
  String loginCookie() {
    return COOKIE + "=" + cookieValue + "; Path=/admin; HttpOnly; SameSite=Strict";
  }

  static String logoutCookie() {
    return COOKIE + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict";
  }

  private static String hmac(String key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(COOKIE_TEXT.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
