/**
 * Webhooks (#18, contract 1.1 "Application backend"): events from the store's durable outbox,
 * POSTed to the app's backend in order per room, signed, retried with backoff until they are too
 * old. Two entry points: {@link io.parley.server.webhooks.WebhookSender} sends the outbox, and
 * {@link io.parley.server.webhooks.PresenceRecorder} records this node's rooms and users in the
 * shared presence ledger, whose cluster-wide transitions write the presence events
 * ({@code room.occupied} / {@code room.vacated}, {@code user.online} / {@code user.offline}).
 */
package io.parley.server.webhooks;
