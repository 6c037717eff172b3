/**
 * Chat semantics: rooms and presence, group-committed sends, history, broadcast, and the broker
 * seam between "committed" and "delivered".
 */
package io.parley.server.chat;
