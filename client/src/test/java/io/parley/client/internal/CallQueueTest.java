package io.parley.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import io.parley.client.CallTimeoutException;
import io.parley.client.ConnectionClosedException;
import io.parley.client.RpcErrorException;
import io.parley.protocol.Entry;
import io.parley.protocol.Incoming;
import io.parley.protocol.Request;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pending calls keyed by id: the limit, out-of-order replies, drops and retries. */
@Timeout(10)
class CallQueueTest {
  private final List<Request> sent = new ArrayList<>();
  private final List<Call> retried = new ArrayList<>();
  private final Link link = new Link() {
    @Override
    public void send(String text) {
      sent.add((Request) ((Entry.Valid) ((Incoming.Single) RpcCodec.decodeCalls(text)).entry()).message());
    }

    @Override
    public void ping() {}

    @Override
    public void close(int code, String reason) {}
  };
  private final CallQueue queue = new CallQueue(2, retried::add);

  private static Call echo(int i, boolean retryable) {
    JsonArray params = new JsonArray();
    params.add(i);
    return Call.user("echo", params, retryable);
  }

  @Test
  void theLimitHoldsAndWaitingCallsGoInOrder() {
    List<Call> calls = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      calls.add(echo(i, true));
      queue.enqueue(calls.get(i - 1));
    }
    queue.pump(null);
    assertThat(sent).as("not connected: nothing moves").isEmpty();
    queue.pump(link);
    assertThat(sent).hasSize(2);
    assertThat(queue.inFlight()).isEqualTo(2);
    assertThat(queue.waiting()).isEqualTo(2);
    queue.onResponse(Response.success(sent.get(1).id(), new JsonPrimitive("b")));
    queue.pump(link);
    assertThat(calls.get(1).result).isCompletedWithValue(new JsonPrimitive("b"));
    assertThat(sent).extracting(r -> r.params().toString()).containsExactly("[1]", "[2]", "[3]");
    queue.abandon(calls.get(3), new CallTimeoutException("echo", Duration.ofSeconds(1)));
    assertThat(queue.waiting()).isZero();
    assertThat(calls.get(3).result).isCompletedExceptionally();
  }

  @Test
  void aDropRequeuesRepeatableCallsFirstAndFailsTheOthers() {
    Call repeatable = echo(1, true);
    Call once = echo(2, false);
    Call waiting = echo(3, true);
    queue.enqueue(repeatable);
    queue.enqueue(once);
    queue.enqueue(waiting);
    queue.pump(link);
    queue.onDisconnect(new ConnectionClosedException(1006, "dropped"));
    assertThat(once.result).isCompletedExceptionally();
    assertThat(repeatable.result).isNotDone();
    sent.clear();
    queue.pump(link);
    assertThat(sent).extracting(r -> r.params().toString()).containsExactly("[1]", "[3]");
    assertThat(sent.get(0).id()).as("a new id on the new connection").isNotEqualTo(new JsonPrimitive(1));
  }

  @Test
  void unavailableIsRetriedAndOtherErrorsFail() {
    Call a = echo(1, true);
    Call b = echo(2, true);
    queue.enqueue(a);
    queue.enqueue(b);
    queue.pump(link);
    queue.onResponse(Response.failure(sent.get(0).id(), RpcError.of(-32005, "Unavailable")));
    queue.onResponse(Response.failure(sent.get(1).id(), RpcError.of(-32002, "Forbidden")));
    assertThat(retried).containsExactly(a);
    assertThat(a.result).isNotDone();
    assertThat(b.result).isCompletedExceptionally();
    assertThat(b.result.handle((v, e) -> ((RpcErrorException) e).code()).join()).isEqualTo(-32002);
    queue.retry(a);
    queue.pump(link);
    assertThat(sent).hasSize(3);
  }
}
