package io.parley.server.auth;

import com.google.gson.JsonElement;
import io.parley.server.ws.ClientSession;
import java.util.concurrent.CompletableFuture;

/**
 * Admits a session by asking the application's backend (its connect proxy, issue #18;
 * implemented by {@code io.parley.server.backend.ConnectProxy}) instead of checking a token.
 * The call runs off the caller's thread; the future fails with an {@code RpcException}: {@code
 * -32006} when the backend refused, {@code -32005} when it failed or did not answer in time.
 */
@FunctionalInterface
public interface ConnectCheck {

  /**
   * @param session the session saying hello (its upgrade's cookies and address go along)
   * @param credentials what {@code session.hello} carried as {@code credentials}, or {@code null}
   */
  CompletableFuture<Identity> admit(ClientSession session, JsonElement credentials);
}
