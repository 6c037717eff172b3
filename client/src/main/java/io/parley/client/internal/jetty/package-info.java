/**
 * The one class Jetty's WebSocket client calls back into; exported by the module only because
 * Jetty looks its methods up with the public lookup. Not an API, may change at any time.
 */
package io.parley.client.internal.jetty;
