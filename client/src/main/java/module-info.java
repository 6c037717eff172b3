/**
 * The Parley Java SDK. A named module rather than an automatic one so that an application's
 * {@code requires io.parley.client} pulls in what the SDK needs (an automatic module reads
 * everything but resolves no explicit module, which left SLF4J out: {@code NoClassDefFoundError:
 * org/slf4j/LoggerFactory}). Only {@code io.parley.client} is API; the implementation stays
 * closed (the command-line chat is a separate artifact, {@code parley-cli}), except {@code internal.jetty}: Jetty's WebSocket client finds the methods of the
 * listener it is given with {@code MethodHandles.publicLookup()}, which sees only unconditionally
 * exported packages, so the listener (and nothing else) lives there.
 */
module io.parley.client {
  requires transitive io.parley.protocol;
  requires org.eclipse.jetty.websocket.client;
  requires org.eclipse.jetty.websocket.common; // builds the permessage-deflate offer
  requires org.slf4j;

  exports io.parley.client;
  exports io.parley.client.internal.jetty;
}
