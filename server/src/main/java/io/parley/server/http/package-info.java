/** The plain HTTP routes: health, readiness, metrics, JSON-RPC over HTTP and the REST message routes. */
package io.parley.server.http;
