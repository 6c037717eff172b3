package io.parley.server.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.server.config.ProxySettings;
import io.parley.server.config.ServerConfig;
import io.parley.server.config.WebhookSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up warnings of weak proxy setups (review of #18, items 9 and 11). */
class BackendWarningsTest {
  private static final URI CONNECT = URI.create("http://127.0.0.1:9/connect");
  private static final WebhookSettings HOOKS = new WebhookSettings(URI.create("http://127.0.0.1:9/hooks"),
      "a-secret-of-enough-length", Duration.ofHours(1));

  @Test
  void aConnectProxyBesideAnyOriginAndUnsignedRequestsAreWarnedOf() {
    ServerConfig weak = ServerConfig.defaults().withAllowedOrigins(List.of("*")).toBuilder()
        .proxies(ProxySettings.NONE.withConnect(CONNECT)).build();
    List<String> warnings = BackendWarnings.of(weak);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("PARLEY_ALLOWED_ORIGINS=*").contains("cross-site WebSocket hijacking");
    assertThat(warnings.get(1)).contains("not signed");
    assertThat(String.join(" ", warnings)).doesNotContain("a-secret");
  }

  @Test
  void listedOriginsAndASecretWarnNothingAndNeitherDoesNoProxy() {
    ServerConfig sound = ServerConfig.defaults().withAllowedOrigins(List.of("https://app.example.com")).toBuilder()
        .proxies(ProxySettings.NONE.withConnect(CONNECT)).webhooks(HOOKS).build();
    assertThat(BackendWarnings.of(sound)).isEmpty();
    assertThat(BackendWarnings.of(ServerConfig.defaults().withAllowedOrigins(List.of("*")))).isEmpty();
  }
}
