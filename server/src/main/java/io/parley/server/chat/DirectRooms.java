package io.parley.server.chat;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcException;
import io.parley.server.rpc.CallContext;
import io.parley.sql.MessageStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Direct conversations (contract 1.1): the room a pair of users talks in, and who may use such a
 * room. The name is {@code dm.} followed by the first 16 bytes, in lowercase hex, of the SHA-256
 * of the two user names sorted (by UTF-16 code units) and joined by a line feed, a character no
 * user name may contain: {@code dm.} + hex(sha256(min + "\n" + max))[0..32]. The same pair gets the
 * same room in either order, on every node, and it fits the contract's room names.
 *
 * <p>Only the two participants may use a {@code dm.} room; the store says who they are
 * ({@link MessageStore#participants}) and this class remembers the answer, which never changes.
 * A room the store does not know is nobody's: using it is {@code -32002}.
 *
 * <p>Thread-safe; store reads run on {@link BlockingWork}.
 */
public final class DirectRooms {
  /** More than this many remembered pairs and the memory starts over (the store still knows them all). */
  private static final int MAX_REMEMBERED = 100_000;
  private static final int NAME_BYTES = 16;

  private final MessageStore store;
  private final BlockingWork blocking;
  private final ConcurrentMap<String, List<String>> participants = new ConcurrentHashMap<>();

  public DirectRooms(MessageStore store, BlockingWork blocking) {
    this.store = store;
    this.blocking = blocking;
  }

  /** The conversation room of two users, in either order. */
  public static String name(String user, String other) {
    String first = user.compareTo(other) <= 0 ? user : other;
    String second = first == user ? other : user;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((first + "\n" + second).getBytes(StandardCharsets.UTF_8));
      return Names.DIRECT_ROOM_PREFIX + HexFormat.of().formatHex(hash, 0, NAME_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  boolean isRemembered(String room) {
    return participants.containsKey(room);
  }

  /** Notes the participants of a conversation the caller opened or listed. */
  void remember(String room, String user, String other) {
    if (participants.size() >= MAX_REMEMBERED) {
      participants.clear();
    }
    participants.put(room, user.compareTo(other) <= 0 ? List.of(user, other) : List.of(other, user));
  }

  /**
   * Completes with the other participant when {@code user} is one of {@code room}'s, fails with
   * {@code -32002} when not (or when the store knows no such conversation). At once when the
   * pair is remembered, else after one store read.
   */
  CompletableFuture<String> otherParticipant(CallContext context, String room, String user) {
    List<String> known = participants.get(room);
    if (known != null) {
      return CompletableFuture.completedFuture(other(room, known, user));
    }
    return blocking.supply(context.reads(), () -> store.participants(room)).thenApply(found -> {
      if (found.size() == 2) {
        remember(room, found.get(0), found.get(1));
      }
      return other(room, found, user);
    });
  }

  private static String other(String room, List<String> pair, String user) {
    if (pair.size() == 2 && pair.contains(user)) {
      return pair.get(0).equals(user) ? pair.get(1) : pair.get(0);
    }
    throw new RpcException(ErrorCodes.FORBIDDEN,
        "Forbidden: \"" + room + "\" is a direct conversation you are not part of");
  }
}
