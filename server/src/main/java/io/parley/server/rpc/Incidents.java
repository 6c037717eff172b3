package io.parley.server.rpc;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Short random ids that tie an internal error on the wire to its log line. */
public final class Incidents {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Incidents() {}

  public static String next() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
