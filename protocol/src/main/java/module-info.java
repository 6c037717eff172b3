/**
 * The Parley wire contract. Gson is part of its API (params and results are Gson trees), so it is
 * required transitively. The {@code internal} package is shared with the SDK only; Gson may
 * reflect on the contract's records. (The SDK is built after this module, hence the suppressed
 * "module not found" on the qualified export.)
 */
@SuppressWarnings("module")
module io.parley.protocol {
  requires transitive com.google.gson;

  exports io.parley.protocol;
  exports io.parley.protocol.types;
  exports io.parley.protocol.internal to io.parley.client;

  opens io.parley.protocol to com.google.gson;
  opens io.parley.protocol.types to com.google.gson;
}
