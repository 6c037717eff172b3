package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the strict codec with arbitrary text. Without {@code JAZZER_FUZZ} this replays the seed
 * inputs under {@code src/test/resources/io/parley/protocol/CodecFuzzTestInputs/} as plain unit
 * tests; see {@code docs/fuzzing.md} for a real fuzzing run.
 */
@Timeout(180)
class CodecFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void decodeNeverThrowsAndRoundTrips(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    Incoming calls = RpcCodec.decodeCalls(text);
    Incoming fromServer = RpcCodec.decodeFromServer(text);
    check(calls, true);
    check(fromServer, false);
  }

  private static void check(Incoming incoming, boolean callsOnly) {
    assertThat(incoming).isNotNull();
    if (incoming instanceof Incoming.Rejected rejected) {
      roundTrip(rejected.response());
    } else if (incoming instanceof Incoming.Single single) {
      entry(single.entry(), callsOnly);
    } else if (incoming instanceof Incoming.Batch batch) {
      assertThat(batch.entries()).isNotEmpty();
      batch.entries().forEach(e -> entry(e, callsOnly));
      List<Response> answers = batch.entries().stream()
          .map(e -> e instanceof Entry.Invalid invalid ? invalid.error()
              : Response.success(new JsonPrimitive(1), new JsonPrimitive("ok")))
          .toList();
      Incoming again = RpcCodec.decodeFromServer(RpcCodec.encodeBatch(answers));
      assertThat(again).isInstanceOf(Incoming.Batch.class);
      assertThat(((Incoming.Batch) again).entries()).hasSize(answers.size());
    }
  }

  private static void entry(Entry entry, boolean callsOnly) {
    if (entry instanceof Entry.Invalid invalid) {
      assertThat(invalid.error().isError()).isTrue();
      assertThat(invalid.error().error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
      roundTrip(invalid.error());
      return;
    }
    RpcMessage message = ((Entry.Valid) entry).message();
    if (callsOnly) {
      assertThat(message).isNotInstanceOf(Response.class);
    }
    if (message instanceof Request request) {
      // The server's answer to this request must decode on the client with the same id.
      roundTrip(Response.success(request.id(), request.params() == null ? new JsonPrimitive(0) : request.params()));
      roundTrip(Response.failure(request.id(), RpcError.of(ErrorCodes.METHOD_NOT_FOUND, "Method not found")));
      Incoming echoed = RpcCodec.decodeCalls(RpcCodec.encode(request));
      assertThat(echoed).isInstanceOf(Incoming.Single.class);
      assertThat(((Entry.Valid) ((Incoming.Single) echoed).entry()).message()).isEqualTo(request);
    } else if (message instanceof Response response) {
      roundTrip(response);
    }
  }

  /** An encoded response decodes back to an equal response: same id token, result and error. */
  private static void roundTrip(Response response) {
    String encoded = RpcCodec.encode(response);
    Incoming decoded = RpcCodec.decodeFromServer(encoded);
    assertThat(decoded).as(encoded).isInstanceOf(Incoming.Single.class);
    Entry entry = ((Incoming.Single) decoded).entry();
    assertThat(entry).as(encoded).isInstanceOf(Entry.Valid.class);
    Response again = (Response) ((Entry.Valid) entry).message();
    assertThat(again.id()).as(encoded).isEqualTo(response.id());
    assertThat(RpcCodec.encode(again)).isEqualTo(encoded);
  }
}
