package io.parley.server.rpc;

import io.parley.server.limits.ReadLane;
import io.parley.server.limits.TokenBucket;
import java.util.Set;

/**
 * One stateless HTTP request: its user, the rooms its token allows ({@code null}: any) and whether
 * it may broadcast. Its reads get a lane of their own; its rate limit is the address's, applied
 * before the call (see {@link CallContext#rateLimitedBy}).
 */
record HttpCaller(String user, Set<String> rooms, boolean broadcast, boolean admin, ReadLane reads)
    implements Caller {

  HttpCaller(String user, Set<String> rooms, boolean broadcast, boolean admin) {
    this(user, rooms == null ? null : Set.copyOf(rooms), broadcast, admin, ReadLane.unbounded());
  }

  @Override
  public boolean isAdmin() {
    return admin;
  }

  @Override
  public boolean mayUse(String room) {
    return rooms == null || rooms.contains(room);
  }

  @Override
  public boolean mayBroadcast() {
    return broadcast;
  }

  @Override
  public boolean isAuthenticated() {
    return true;
  }

  @Override
  public boolean isSession() {
    return false;
  }

  @Override
  public TokenBucket rate() {
    return null;
  }
}
