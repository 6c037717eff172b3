package io.parley.sql;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The webhook outbox: events written by the transactions that caused them, waiting to be POSTed
 * to the app's backend. Obtain it from {@link MessageStore#webhookOutbox()} of a store opened by
 * {@link Stores#openWithWebhookOutbox}; every append of that store writes one {@code
 * message.stored} event per newly stored message (none for a duplicate), in the append's
 * transaction.
 *
 * <p>Order: events with the same order key (a message event's room) are handed out in the order
 * they were written, and a claim never hands out an event while an earlier one of its key is still
 * waiting (in another node's claim, or for its retry).
 *
 * <p>Threading: safe for many threads; each {@link Claim} is confined to the thread that made it.
 */
public interface WebhookOutbox {

  /** The type of the event an append writes for each new message. */
  String MESSAGE_STORED = "message.stored";
  /** A change to a message was stored (contract 1.1); {@link Event#change()} is the change. */
  String MESSAGE_CHANGED = "message.changed";

  /**
   * Claims up to {@code max} events that are due at {@code now}, oldest first. The claimed rows
   * stay locked (FOR UPDATE SKIP LOCKED on PostgreSQL), so no other node sends them, until the
   * claim is closed; close it promptly, it holds a database connection.
   *
   * @throws StoreException if the database fails
   */
  Claim claim(int max, Instant now);

  /** How many events wait, and how old the oldest is. */
  Stats stats();

  /**
   * Events claimed by one sender. Closing commits what was done: {@link #delete} and {@link
   * #retryAt}; untouched events become claimable again.
   */
  interface Claim extends AutoCloseable {

    /** The claimed events, in order per key; may be empty. */
    List<Event> events();

    /** Removes events (delivered, or too old to try again). */
    void delete(List<Event> events);

    /** Makes events claimable again at {@code at}, with one more attempt counted. */
    void retryAt(List<Event> events, Instant at);

    /** Commits and releases the rows. */
    @Override
    void close();
  }

  /**
   * One event.
   *
   * @param id the row's number, increasing in the order events were written
   * @param eventId the event's unique id, for receivers to deduplicate by
   * @param type e.g. {@value #MESSAGE_STORED}
   * @param createdAt when the transaction that caused it committed (its timestamp)
   * @param attempts failed deliveries so far
   * @param message for a {@value #MESSAGE_STORED} event, the message; else {@code null}
   * @param recipient for a {@value #MESSAGE_STORED} event of a direct message, its recipient;
   *     else {@code null}
   * @param change for a {@value #MESSAGE_CHANGED} event, the change; else {@code null}
   * @param data for other events, their data as JSON text; else {@code null}
   */
  record Event(long id, String eventId, String type, Instant createdAt, int attempts, StoredMessage message,
      String recipient, StoredChange change, String data) {
    public Event {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /**
   * @param depth events waiting
   * @param oldest when the oldest waiting event was written, or {@code null} if none waits
   */
  record Stats(long depth, Instant oldest) {}
}
