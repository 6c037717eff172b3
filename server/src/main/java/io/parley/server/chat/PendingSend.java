package io.parley.server.chat;

import io.parley.protocol.types.Message;
import io.parley.server.ws.ClientSession;
import io.parley.sql.NewMessage;
import java.util.concurrent.CompletableFuture;

/**
 * A send waiting for its commit. Its future completes once: with the stored message, or with an
 * error, whichever comes first; a later completion (a commit that ends after the send's
 * deadline) changes nothing. {@code replyTo} is the session its reply goes to ({@code null} over
 * HTTP), so the replies of one commit can be written in one batch; {@code to} is the recipient of a
 * direct message, {@code null} for a room message.
 */
record PendingSend(NewMessage message, ClientSession replyTo, String to, CompletableFuture<Message> result,
    long submittedNanos) {

  /** True once the send was answered, e.g. refused at its deadline while still queued. */
  boolean answered() {
    return result.isDone();
  }

  boolean overdue(long nowNanos, long deadlineNanos) {
    return nowNanos - submittedNanos > deadlineNanos;
  }
}
