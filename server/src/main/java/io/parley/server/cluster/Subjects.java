package io.parley.server.cluster;

/**
 * NATS subject names. A room name may contain dots, which NATS reads as token separators (and
 * ".a" or "a..b" would be invalid subjects), so dots are written as '~', a character room names
 * cannot contain: the mapping stays one-to-one.
 */
final class Subjects {
  static final String ROOM_PREFIX = "parley.room.";
  static final String PRESENCE = "parley.presence";
  static final String BROADCAST = "parley.broadcast";
  /** Direct messages (contract 1.1) of every conversation: each node keeps those of its sessions' users. */
  static final String DIRECT = "parley.direct";
  /** Each node's per-second figures for the operations page. */
  static final String ADMIN_FIGURES = "parley.admin.figures";
  /** An operator's request that one node disconnect one of its sessions. */
  static final String ADMIN_DISCONNECT = "parley.admin.disconnect";

  private Subjects() {}

  static String room(String room) {
    return ROOM_PREFIX + room.replace('.', '~');
  }
}
