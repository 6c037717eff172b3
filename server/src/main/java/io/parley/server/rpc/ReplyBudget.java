package io.parley.server.rpc;

import com.google.gson.JsonObject;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes one frame or body may be answered with: {@link #LIMIT} for a single reply and for all
 * the replies of a batch together. A 10 KB batch of 100 history calls would otherwise ask the node
 * for 100 pages of about a megabyte each. Members whose replies arrive once the budget is spent
 * answer {@code -32004} with {@code error.data.limit}, and their reads are skipped rather than run
 * for nothing.
 *
 * <p>Thread-safe: members of a batch complete on any thread.
 */
public final class ReplyBudget {
  /** Bytes of JSON (UTF-8) one frame's replies may take together. */
  public static final long LIMIT = 4L * 1024 * 1024;

  /** Bytes taken, counting the reply that did not fit: past {@link #LIMIT}, the budget is spent for good. */
  private final AtomicLong spent = new AtomicLong();

  /** Takes {@code bytes} for one member's reply; false (and the budget spent for good) when they do not fit. */
  boolean take(long bytes) {
    return spent.get() <= LIMIT && spent.addAndGet(bytes) <= LIMIT;
  }

  /** Throws the {@code -32004} of a member past the budget if it is already spent: call before costly work. */
  public void checkLeft() {
    if (spent.get() > LIMIT) {
      throw new RpcException(tooLarge());
    }
  }

  static RpcError tooLarge() {
    JsonObject data = new JsonObject();
    data.addProperty("limit", LIMIT);
    return new RpcError(ErrorCodes.TOO_LARGE, "Too large: the replies to one frame may take at most " + LIMIT
        + " bytes together, and this one's would pass it; ask for less at once (fewer calls in a batch, a smaller"
        + " limit)", data);
  }

  /** Bytes of {@code json} in UTF-8, without encoding it. */
  static long utf8Length(String json) {
    long bytes = json.length();
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c >= 0x80) {
        bytes += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
      }
    }
    return bytes;
  }
}
