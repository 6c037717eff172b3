package io.parley.server.chat;

import io.parley.protocol.types.Message;
import io.parley.server.ws.ClientSession;
import io.parley.sql.NewMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What a send goes through before it is stored: the application's publish proxy (issue #18,
 * {@code io.parley.server.backend.PublishProxy}) may let it pass, change its text, or refuse it.
 * The send handlers call {@link #vet} on the thread that read the call, in the order the calls
 * were read, and pass what stores the message; the vetting calls it at most once, with the message
 * to store, and answers with its result (or with the refusal, storing nothing).
 */
@FunctionalInterface
public interface SendVetting {

  /** No publish proxy: stored as sent, at once. */
  SendVetting NONE = (message, to, session, store) -> store.apply(message);

  /**
   * @param message the send as the caller made it (already checked)
   * @param to the recipient of a direct message, or {@code null} (a room message, or not known yet)
   * @param session the session that sent it, or {@code null} over HTTP
   * @param store hands the message to the group commit; runs at most once, on any thread, must not block
   */
  CompletableFuture<Message> vet(NewMessage message, String to, ClientSession session,
      Function<NewMessage, CompletableFuture<Message>> store);
}
