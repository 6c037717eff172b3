package io.parley.server.rpc;

import io.parley.server.limits.ReadLane;
import io.parley.server.limits.TokenBucket;

/**
 * Who makes a call: a WebSocket session (stateful: rooms, presence, a lane for its reads) or one
 * stateless HTTP request. The RPC layer sees only this; methods that need a session's state are
 * marked session-only in the {@link MethodTable} and get one.
 */
public interface Caller {

  /** The user name the call acts as. */
  String user();

  /** False when the caller's token names the rooms it may use and {@code room} is not one of them. */
  boolean mayUse(String room);

  /** False when the caller's token allows no {@code broadcast} (it needs a claim of its own). */
  boolean mayBroadcast();

  /** True for an administrator's token ({@code "admin": true}): may delete others' messages. */
  default boolean isAdmin() {
    return false;
  }

  /** False for a token-mode session that has not presented a valid token yet. */
  boolean isAuthenticated();

  /** True for a WebSocket session: it can join rooms and be told of them. */
  boolean isSession();

  /** Where the caller's store reads queue. */
  ReadLane reads();

  /** The caller's call budget, or {@code null} for none. */
  TokenBucket rate();
}
