package io.parley.server.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Parley-Signature} header, as the contract defines it: {@code t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>" with the secret>}. The timestamp is part of what is signed, so a
 * receiver can refuse a replayed request by its age. Stateless; safe for any thread.
 */
public final class WebhookSignature {

  public static final String HEADER = "Parley-Signature";
  private static final String ALGORITHM = "HmacSHA256";

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code unixSeconds}. */
  public static String header(String secret, long unixSeconds, String body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
