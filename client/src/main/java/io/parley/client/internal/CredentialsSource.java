package io.parley.client.internal;

import com.google.gson.JsonElement;
import io.parley.protocol.JsonText;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Where the {@code credentials} of {@code session.hello} come from (contract 1.1, for a server
 * whose application backend admits users through its connect proxy): none, or the application's
 * supplier, asked before every connection, first and reconnects, so a session cookie or a
 * one-time ticket can be fresh each time. Like {@link TokenSource}, the supplier is application
 * code: it runs on the event thread and returns a stage, so slow work never holds up the client.
 * It gives JSON text (the SDK's public API names no JSON library), checked here strictly.
 */
final class CredentialsSource {
  private static final int MAX_DEPTH = 64;

  private final Supplier<? extends CompletionStage<String>> supplier;
  private final Events events;

  CredentialsSource(Supplier<? extends CompletionStage<String>> supplier, Events events) {
    this.supplier = supplier;
    this.events = events;
  }

  boolean present() {
    return supplier != null;
  }

  /**
   * The credentials for the next hello: {@code null} at once without a supplier, else the
   * supplier's JSON, asked on the event thread. Fails if the supplier throws, fails, or gives no
   * JSON or text that is not JSON.
   */
  CompletableFuture<JsonElement> next() {
    if (supplier == null) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<JsonElement> credentials = new CompletableFuture<>();
    events.post(() -> {
      try {
        CompletionStage<String> stage = supplier.get();
        if (stage == null) {
          throw new IllegalStateException("the credentials supplier returned null instead of a CompletionStage");
        }
        stage.whenComplete((json, failure) -> {
          if (failure != null) {
            credentials.completeExceptionally(failure);
          } else if (json == null || json.isBlank()) {
            credentials.completeExceptionally(new IllegalStateException("the credentials supplier gave no JSON"));
          } else {
            parse(json, credentials);
          }
        });
      } catch (RuntimeException e) {
        credentials.completeExceptionally(e);
      }
    });
    return credentials;
  }

  private static void parse(String json, CompletableFuture<JsonElement> credentials) {
    try {
      credentials.complete(JsonText.parse(json, MAX_DEPTH));
    } catch (JsonText.Invalid e) {
      // The text itself is not quoted: it is a credential.
      credentials.completeExceptionally(new IllegalStateException("the credentials supplier gave text that is not JSON"));
    }
  }
}
