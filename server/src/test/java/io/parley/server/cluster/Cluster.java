package io.parley.server.cluster;

import io.parley.server.ParleyServer;
import io.parley.server.config.ServerConfig;
import io.parley.server.testing.TestPostgres;
import io.parley.server.testing.WsClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Several real nodes sharing one fresh PostgreSQL schema and one NATS, for one test. */
final class Cluster implements AutoCloseable {
  private final String schema = TestPostgres.freshSchema();
  private final String natsUrl;
  private final List<ParleyServer> nodes = new ArrayList<>();

  Cluster(String natsUrl, int size) throws Exception {
    TestPostgres.assumeAvailable();
    this.natsUrl = natsUrl;
    for (int i = 0; i < size; i++) {
      nodes.add(ParleyServer.start(config("node-" + (char) ('a' + i))));
    }
  }

  private ServerConfig config(String nodeId) {
    return ServerConfig.defaults().withPort(0)
        .withDatabase(TestPostgres.URL, TestPostgres.USER, TestPostgres.PASSWORD, schema)
        .withNats(natsUrl, nodeId);
  }

  ParleyServer node(int i) {
    return nodes.get(i);
  }

  WsClient connect(int node, String user) {
    WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + nodes.get(node).port() + "/ws"));
    client.result("session.hello", "{\"name\":\"" + user + "\"}");
    return client;
  }

  @Override
  public void close() {
    nodes.forEach(ParleyServer::stop);
    TestPostgres.dropSchema(schema);
  }
}
