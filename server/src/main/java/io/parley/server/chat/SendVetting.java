package io.parley.server.chat;

import io.parley.protocol.types.Message;
import io.parley.server.ws.ClientSession;
import io.parley.sql.NewMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a send goes through before it is stored: the application's publish proxy (issue #18,
 * {@code io.parley.server.backend.PublishProxy}) may let it pass, change its text, or refuse it.
 * The send handlers call {@link #vet} on the thread that read the call, in the order the calls
 * were read, and pass what stores the message; the vetting calls it at most once, with the message
 * to store, and answers with its result (or with the refusal, storing nothing).
 *
 * <p>Before the backend is asked, the vetting asks {@code prior} what the send's handler knows
 * only by a store read: the other participant of a direct message (a non-participant's text must
 * never reach the backend), and the message already stored under the send's {@code clientId}. A
 * send that repeats a stored one is answered with it, without asking the backend (the contract: a
 * repeated {@code clientId} returns the first stored message and stores nothing new), so a retry
 * after a lost reply does not fail because the backend is down or refuses duplicates.
 */
@FunctionalInterface
public interface SendVetting {

  /**
   * What the send's handler found before vetting.
   *
   * @param to the recipient of a direct message (told to the backend), or {@code null}
   * @param stored the message already stored under the send's {@code clientId}, or {@code null}
   */
  record Prior(String to, Message stored) {
    /** A room message without a {@code clientId} already stored. */
    public static final Prior NONE = new Prior(null, null);
  }

  /** No publish proxy: stored as sent, at once (the group commit answers a repeated clientId itself). */
  SendVetting NONE = (message, session, prior, store) -> store.apply(message);

  /**
   * @param message the send as the caller made it (already checked)
   * @param session the session that sent it, or {@code null} over HTTP
   * @param prior what is found before vetting; called at most once, may fail (say, {@code -32002}
   *     for a non-participant), which answers the send without asking the backend
   * @param store hands the message to the group commit; runs at most once, on any thread, must not block
   */
  CompletableFuture<Message> vet(NewMessage message, ClientSession session, Supplier<CompletableFuture<Prior>> prior,
      Function<NewMessage, CompletableFuture<Message>> store);
}
