package io.parley.client;

import io.parley.protocol.types.Change;
import io.parley.protocol.types.ChangeResult;
import io.parley.protocol.types.JoinResult;
import io.parley.protocol.types.Message;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * A room this client has joined: its {@code chat.message} stream and presence events, as a
 * {@link Flow.Publisher} and as plain listeners, plus sending and leaving. Obtained from {@link
 * ParleyClient#join}.
 *
 * <p><b>Delivery.</b> Messages come in seq order, each once, without gap, across reconnects: after
 * a drop the client rejoins with {@code since} = {@link #lastSeq()} and pages {@code chat.history}
 * when the recovery was truncated, and delivers those before anything newer. Everything runs on
 * the client's event thread. Until the first subscriber or listener attaches, messages are kept
 * (up to the stream buffer; past it the oldest are dropped) so that nothing sent right after the
 * join is lost; later subscribers see what arrives after they subscribe.
 *
 * <p><b>Changes</b> (contract 1.1: edits, deletions, reactions). {@link #changes()} / {@link
 * #onChange} deliver the room's {@code chat.change}s in rev order, each once, without gap, across
 * reconnects (the rejoin also sends {@code sinceRev} = {@link #lastRev()} and pages {@code
 * chat.changes} when the recovery was truncated), and never before the message they change. The
 * message stream itself delivers each message once, as it was when it arrived; {@link #message}
 * and {@link #recent()} show the room's latest 1,000 messages in their current state, with every change delivered so far applied: a listener that
 * looks there sees exactly the messages and changes it has been told of.
 *
 * <p><b>Backpressure.</b> A subscriber gets no more than it requested; what it has not requested
 * yet waits in a buffer of {@link ParleyClientBuilder#streamBuffer} items. A subscriber that falls
 * further behind is cancelled with {@link StreamOverflowException} (it can resume from its last
 * seq with {@code chat.history}); other subscribers and the connection are unaffected.
 *
 * <p><b>End.</b> The streams complete after {@link #leave()} or {@link ParleyClient#close()}, and
 * end with an error when the client fails.
 */
public interface JoinedRoom {
  /** The room's name. */
  String name();

  /** The result of the first successful join. */
  JoinResult joinResult();

  /** The seq of the last message delivered to this room's streams (the join's seq before any). */
  long lastSeq();

  /**
   * The rev of the last change handed to {@link #changes()} (contract 1.1): the room's rev when it
   * was joined before any; 0 for a room without changes (or a 1.0 server). Like {@link #lastSeq()}
   * it moves when the change is handed over, just before the listeners run on the event thread.
   */
  long lastRev();

  /**
   * One of the room's latest messages in its current state (changes delivered so far applied), or
   * empty when it is older than those kept or was never delivered here.
   */
  Optional<Message> message(long seq);

  /**
   * The room's latest delivered messages (at most 1,000), in seq order, each in its current state;
   * an unmodifiable snapshot.
   */
  List<Message> recent();

  /** The room's changes (contract 1.1), in rev order, each once, after the message they change. */
  Flow.Publisher<Change> changes();

  /** Calls {@code listener} with each change (see {@link #changes()}), on the event thread. */
  Registration onChange(Consumer<Change> listener);

  /** {@code chat.edit} in this room (see {@link ParleyClient#edit}). */
  CompletableFuture<ChangeResult> edit(long seq, String text);

  /** {@code chat.delete} in this room (see {@link ParleyClient#delete}). */
  CompletableFuture<ChangeResult> delete(long seq);

  /** {@code chat.react} in this room (see {@link ParleyClient#react}). */
  CompletableFuture<ChangeResult> react(long seq, String emoji, boolean on);

  /** The room's messages, in seq order. */
  Flow.Publisher<Message> messages();

  /** Calls {@code listener} with each message, in seq order, on the event thread. */
  Registration onMessage(Consumer<Message> listener);

  /** Members joining and leaving. */
  Flow.Publisher<PresenceChange> presence();

  /** Calls {@code listener} with each presence change, on the event thread. */
  Registration onPresence(Consumer<PresenceChange> listener);

  /** Calls {@code listener} when another member is typing (contract 1.1), on the event thread. */
  Registration onTyping(Consumer<Typing> listener);

  /** Calls {@code listener} when another member's read position moves (contract 1.1), on the event thread. */
  Registration onRead(Consumer<ReadPosition> listener);

  /** {@code chat.typing} in this room. */
  CompletableFuture<Void> typing();

  /** {@code room.read} in this room: completes with this user's position afterwards. */
  CompletableFuture<Long> markRead(long seq);

  /** {@code chat.send} to this room with a generated {@code clientId}. */
  CompletableFuture<Message> send(String text);

  /** Leaves the room ({@code room.leave}); the streams complete at once. */
  CompletableFuture<Void> leave();
}
