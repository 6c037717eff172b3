package io.parley.server.config;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Default node names: short, random, unique enough for a cluster's lifetime. */
final class NodeIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private NodeIds() {}

  static String generate() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return "node-" + HexFormat.of().formatHex(b);
  }
}
