package io.parley.server.backend;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.server.chat.SendVetting;
import io.parley.server.chat.TextRule;
import io.parley.server.config.ServerConfig;
import java.time.Clock;

/**
 * The proxies the configuration asks for, built once at start and closed at stop. {@link #OFF}
 * when neither {@code PARLEY_CONNECT_PROXY_URL} nor {@code PARLEY_PUBLISH_PROXY_URL} is set.
 *
 * @param connect the connect proxy, or {@code null}
 * @param publish the publish proxy's vetting, or {@link SendVetting#NONE}
 */
public record Backend(BackendClient client, ConnectProxy connect, SendVetting publish) implements AutoCloseable {

  /** No proxy. */
  public static final Backend OFF = new Backend(null, null, SendVetting.NONE);

  /** The proxies of {@code config}; requests are signed with the webhook secret when there is one. */
  public static Backend of(ServerConfig config, Clock clock, MeterRegistry registry) {
    var proxies = config.proxies();
    if (proxies.connectUrl() == null && proxies.publishUrl() == null) {
      return OFF;
    }
    BackendClient client = new BackendClient(proxies.timeout(),
        config.webhooks() == null ? null : config.webhooks().secret(), clock);
    ProxyMetrics metrics = new ProxyMetrics(registry);
    return new Backend(client,
        proxies.connectUrl() == null ? null : new ConnectProxy(client, proxies.connectUrl(), metrics),
        proxies.publishUrl() == null ? SendVetting.NONE
            : new PublishProxy(client, proxies.publishUrl(), new TextRule(config.maxText()), metrics));
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
