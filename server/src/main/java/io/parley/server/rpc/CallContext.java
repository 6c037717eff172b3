package io.parley.server.rpc;

import io.parley.server.limits.ReadLane;
import io.parley.server.limits.TokenBucket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Who is calling (a WebSocket session, or a stateless HTTP request) and what must happen once the
 * frame's reply is on its way. One context per frame: actions registered by a call in a batch run
 * after the whole batch reply is queued, which is how {@code room.join} makes sure its result
 * reaches the client before the live messages it held back.
 *
 * <p>Thread-safe: handlers may register actions from any thread until {@link #replied()}.
 */
public final class CallContext {
  private final Caller caller;
  private final ReplyBudget replyBudget = new ReplyBudget();
  private volatile TokenBucket rate;
  private List<Runnable> afterReply;
  private boolean replied;

  private CallContext(Caller caller) {
    this.caller = caller;
    this.rate = caller.rate();
  }

  /** The context of one frame (or request) of {@code caller}. */
  public static CallContext of(Caller caller) {
    return new CallContext(caller);
  }

  /** The context of a stateless HTTP call acting as {@code user} (open mode: any room, may broadcast). */
  public static CallContext http(String user) {
    return new CallContext(new HttpCaller(user, null, true, false));
  }

  /**
   * An HTTP call by a token's holder: {@code user}, allowed into {@code rooms} ({@code null}: any),
   * and not allowed to broadcast.
   */
  public static CallContext http(String user, Set<String> rooms) {
    return http(user, rooms, false);
  }

  /** An HTTP call by a token's holder that may broadcast if {@code mayBroadcast}. */
  public static CallContext http(String user, Set<String> rooms, boolean mayBroadcast) {
    return http(user, rooms, mayBroadcast, false);
  }

  /** The same for an administrator's token if {@code admin} (may delete others' messages). */
  public static CallContext http(String user, Set<String> rooms, boolean mayBroadcast, boolean admin) {
    return new CallContext(new HttpCaller(user, rooms, mayBroadcast, admin));
  }

  /** Who is calling. */
  public Caller caller() {
    return caller;
  }

  /** Where this call's store reads queue: the session's lane, or one of the request's own. */
  public ReadLane reads() {
    return caller.reads();
  }

  /** What this frame's replies may still take. */
  public ReplyBudget replyBudget() {
    return replyBudget;
  }

  /** Limits this context's calls by {@code bucket} ({@code null}: no limit); returns this. */
  public CallContext rateLimitedBy(TokenBucket bucket) {
    this.rate = bucket;
    return this;
  }

  /** Takes a token for one call: 0 when it may go ahead, else milliseconds until one is available. */
  long takeToken() {
    TokenBucket bucket = rate;
    return bucket == null ? 0 : bucket.tryTake();
  }

  /** False when the caller's token names the rooms it may use and {@code room} is not one of them. */
  public boolean mayUse(String room) {
    return caller.mayUse(room);
  }

  /** False when the caller's token allows no {@code broadcast} (it needs a claim of its own). */
  public boolean isAdmin() {
    return caller.isAdmin();
  }

  public boolean mayBroadcast() {
    return caller.mayBroadcast();
  }

  /** The user name the call acts as. */
  public String user() {
    return caller.user();
  }

  /** Runs {@code action} once the frame's reply has been queued (at once if it already was). */
  public void afterReply(Runnable action) {
    synchronized (this) {
      if (!replied) {
        if (afterReply == null) {
          afterReply = new ArrayList<>(1);
        }
        afterReply.add(action);
        return;
      }
    }
    action.run();
  }

  /** Called by the transport right after it queued the reply (or decided there is none). */
  public void replied() {
    List<Runnable> actions;
    synchronized (this) {
      replied = true;
      actions = afterReply;
      afterReply = null;
    }
    if (actions != null) {
      actions.forEach(Runnable::run);
    }
  }
}
