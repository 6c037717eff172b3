/** The transport-independent JSON-RPC engine: method table, dispatcher, call context, metrics. */
package io.parley.server.rpc;
