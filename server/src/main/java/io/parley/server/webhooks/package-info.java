/**
 * Webhooks (#18, contract 1.1 "Application backend"): events from the store's durable outbox,
 * POSTed to the app's backend in order per room, signed, retried with backoff until they are too
 * old. {@link io.parley.server.webhooks.WebhookSender} is the one entry point.
 */
package io.parley.server.webhooks;
