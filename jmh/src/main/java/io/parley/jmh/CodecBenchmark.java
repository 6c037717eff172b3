package io.parley.jmh;

import com.google.gson.JsonPrimitive;
import io.parley.protocol.Incoming;
import io.parley.protocol.Methods;
import io.parley.protocol.Notifications;
import io.parley.protocol.Response;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.types.Message;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON-RPC codec on the frames a chat server handles most: a {@code chat.send} request in,
 * a batch of them in, and the two frames a send produces out (the notification to the room and
 * the reply to the sender). Each encode includes turning the {@link Message} record into a JSON
 * tree, as the server does for every message.
 *
 * <p>Returned values go to JMH's implicit blackhole, so nothing is optimised away.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class CodecBenchmark {
  /** A batch as large as a client's pipelined sends typically get. */
  private static final int BATCH_SIZE = 10;

  private static final String SEND_PARAMS =
      "{\"room\":\"general\",\"text\":\"hello, world: is everyone here for the 3 pm sync?\","
          + "\"clientId\":\"c-0f3a9b2e-41d7\"}";

  private final String sendRequest = request(17);
  private final String sendBatch = batch();
  private final Message message = new Message(
      "general", 4711, "alice", "hello, world: is everyone here for the 3 pm sync?",
      "2026-11-23T12:53:21.123Z", "c-0f3a9b2e-41d7");
  private final JsonPrimitive requestId = new JsonPrimitive(17);

  private static String request(int id) {
    return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"chat.send\",\"params\":"
        + SEND_PARAMS + "}";
  }

  private static String batch() {
    StringJoiner entries = new StringJoiner(",", "[", "]");
    for (int id = 1; id <= BATCH_SIZE; id++) {
      entries.add(request(id));
    }
    return entries.toString();
  }

  @Benchmark
  public Incoming decodeSend() {
    return RpcCodec.decodeCalls(sendRequest);
  }

  @Benchmark
  public Incoming decodeBatchOf10() {
    return RpcCodec.decodeCalls(sendBatch);
  }

  @Benchmark
  public String encodeChatMessage() {
    return RpcCodec.encode(Notifications.CHAT_MESSAGE.toMessage(message));
  }

  @Benchmark
  public String encodeSendResponse() {
    return RpcCodec.encode(Response.success(requestId, Methods.SEND.writeResult(message)));
  }
}
