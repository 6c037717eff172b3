package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON-RPC 2.0 specification's section 7 examples as golden tests of decodeCalls, encode and encodeBatch. */
class RpcCodecSpecExamplesTest {

  // --- rpc call with positional parameters

  @Test
  void positionalParams() {
    Request request =
        single("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}");
    assertThat(request.method()).isEqualTo("subtract");
    assertThat(request.params()).isEqualTo(JsonParser.parseString("[42,23]"));
    assertThat(request.id().toString()).isEqualTo("1");

    assertGolden(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 1}");
    assertGolden(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [23, 42], \"id\": 2}",
        "{\"jsonrpc\": \"2.0\", \"result\": -19, \"id\": 2}");
  }

  @Test
  void positionalParamsEncodeExactly() {
    assertThat(serve("{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42, 23], \"id\": 1}"))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":19}");
  }

  // --- rpc call with named parameters

  @Test
  void namedParams() {
    Request request =
        single(
            "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\","
                + " \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}");
    assertThat(request.params()).isEqualTo(JsonParser.parseString("{\"subtrahend\":23,\"minuend\":42}"));

    assertGolden(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"subtrahend\": 23, \"minuend\": 42}, \"id\": 3}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 3}");
    assertGolden(
        "{\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": {\"minuend\": 42, \"subtrahend\": 23}, \"id\": 4}",
        "{\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": 4}");
  }

  // --- a Notification

  @Test
  void notifications() {
    Incoming update =
        RpcCodec.decodeCalls("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}");
    assertThat(update)
        .isEqualTo(
            new Incoming.Single(
                new Entry.Valid(new Notification("update", JsonParser.parseString("[1,2,3,4,5]")))));

    Incoming foobar = RpcCodec.decodeCalls("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}");
    assertThat(foobar).isEqualTo(new Incoming.Single(new Entry.Valid(new Notification("foobar", null))));

    assertThat(serve("{\"jsonrpc\": \"2.0\", \"method\": \"update\", \"params\": [1,2,3,4,5]}")).isNull();
    assertThat(serve("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\"}")).isNull();
  }

  // --- rpc call of non-existent method

  @Test
  void nonExistentMethodDecodesFine() {
    Request request = single("{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}");
    assertThat(request.method()).isEqualTo("foobar");
    assertThat(request.params()).isNull();
    assertThat(request.id()).isEqualTo(new JsonPrimitive("1"));

    assertGolden(
        "{\"jsonrpc\": \"2.0\", \"method\": \"foobar\", \"id\": \"1\"}",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"1\"}");
  }

  // --- rpc call with invalid JSON

  @Test
  void invalidJson() {
    String frame = "{\"jsonrpc\": \"2.0\", \"method\": \"foobar, \"params\": \"bar\", \"baz]";
    Response response = rejected(frame);
    assertThat(response.error().code()).isEqualTo(ErrorCodes.PARSE_ERROR);
    assertGolden(
        frame,
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
  }

  // --- rpc call with invalid Request object

  @Test
  void invalidRequestObject() {
    String frame = "{\"jsonrpc\": \"2.0\", \"method\": 1, \"params\": \"bar\"}";
    Incoming incoming = RpcCodec.decodeCalls(frame);
    assertThat(incoming).isInstanceOf(Incoming.Single.class);
    Entry entry = ((Incoming.Single) incoming).entry();
    assertThat(entry).isInstanceOf(Entry.Invalid.class);
    assertThat(((Entry.Invalid) entry).error().error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
    assertGolden(
        frame,
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
  }

  // --- rpc call Batch, invalid JSON

  @Test
  void batchWithInvalidJsonIsOneParseError() {
    String frame =
        "[\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\"\n"
            + "]";
    assertThat(rejected(frame).error().code()).isEqualTo(ErrorCodes.PARSE_ERROR);
    String out = serve(frame);
    assertThat(JsonParser.parseString(out).isJsonObject()).isTrue();
    assertGolden(
        frame,
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32700, \"message\": \"Parse error\"}, \"id\": null}");
  }

  // --- rpc call with an empty Array

  @Test
  void emptyArrayIsOneInvalidRequestNotAnArray() {
    assertThat(rejected("[]").error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
    String out = serve("[]");
    assertThat(JsonParser.parseString(out).isJsonObject()).isTrue();
    assertGolden(
        "[]",
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}");
  }

  // --- rpc call with an invalid Batch (but not empty)

  @Test
  void batchOfOneNonObject() {
    List<Entry> entries = batch("[1]");
    assertThat(entries).hasSize(1);
    assertInvalidWithNullId(entries.get(0));
    assertGolden(
        "[1]",
        "[{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}]");
  }

  // --- rpc call with invalid Batch

  @Test
  void batchOfThreeNonObjects() {
    List<Entry> entries = batch("[1,2,3]");
    assertThat(entries).hasSize(3);
    entries.forEach(RpcCodecSpecExamplesTest::assertInvalidWithNullId);
    String invalid =
        "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null}";
    assertGolden("[1,2,3]", "[" + invalid + "," + invalid + "," + invalid + "]");
  }

  // --- rpc call Batch

  @Test
  void mixedBatch() {
    String frame =
        "[\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"sum\", \"params\": [1,2,4], \"id\": \"1\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"subtract\", \"params\": [42,23], \"id\": \"2\"},\n"
            + "  {\"foo\": \"boo\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"foo.get\", \"params\": {\"name\": \"myself\"}, \"id\": \"5\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"get_data\", \"id\": \"9\"}\n"
            + "]";
    List<Entry> entries = batch(frame);
    assertThat(entries).hasSize(6);
    assertThat(entries.get(0))
        .isEqualTo(new Entry.Valid(new Request(new JsonPrimitive("1"), "sum", JsonParser.parseString("[1,2,4]"))));
    assertThat(entries.get(1))
        .isEqualTo(new Entry.Valid(new Notification("notify_hello", JsonParser.parseString("[7]"))));
    assertThat(entries.get(2))
        .isEqualTo(new Entry.Valid(new Request(new JsonPrimitive("2"), "subtract", JsonParser.parseString("[42,23]"))));
    assertInvalidWithNullId(entries.get(3));
    assertThat(entries.get(4))
        .isEqualTo(
            new Entry.Valid(
                new Request(new JsonPrimitive("5"), "foo.get", JsonParser.parseString("{\"name\":\"myself\"}"))));
    assertThat(entries.get(5)).isEqualTo(new Entry.Valid(new Request(new JsonPrimitive("9"), "get_data", null)));

    assertGolden(
        frame,
        "[\n"
            + "  {\"jsonrpc\": \"2.0\", \"result\": 7, \"id\": \"1\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"result\": 19, \"id\": \"2\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32600, \"message\": \"Invalid Request\"}, \"id\": null},\n"
            + "  {\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"Method not found\"}, \"id\": \"5\"},\n"
            + "  {\"jsonrpc\": \"2.0\", \"result\": [\"hello\", 5], \"id\": \"9\"}\n"
            + "]");
  }

  // --- rpc call Batch (all notifications)

  @Test
  void batchOfOnlyNotificationsAnswersNothing() {
    String frame =
        "[\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_sum\", \"params\": [1,2,4]},\n"
            + "  {\"jsonrpc\": \"2.0\", \"method\": \"notify_hello\", \"params\": [7]}\n"
            + "]";
    List<Entry> entries = batch(frame);
    assertThat(entries).hasSize(2);
    assertThat(entries)
        .allSatisfy(e -> assertThat(((Entry.Valid) e).message()).isInstanceOf(Notification.class));
    assertThat(serve(frame)).isNull();
  }

  // --- helpers: the specification's toy server on top of the codec

  /** Decodes a frame, answers it like the specification's example server, and encodes the reply (null: nothing). */
  private static String serve(String frame) {
    Incoming incoming = RpcCodec.decodeCalls(frame);
    if (incoming instanceof Incoming.Rejected rejected) {
      return RpcCodec.encode(rejected.response());
    }
    if (incoming instanceof Incoming.Single single) {
      Response response = answer(single.entry());
      return response == null ? null : RpcCodec.encode(response);
    }
    List<Response> responses = new ArrayList<>();
    for (Entry entry : ((Incoming.Batch) incoming).entries()) {
      Response response = answer(entry);
      if (response != null) {
        responses.add(response);
      }
    }
    return responses.isEmpty() ? null : RpcCodec.encodeBatch(responses);
  }

  private static Response answer(Entry entry) {
    if (entry instanceof Entry.Invalid invalid) {
      return invalid.error();
    }
    RpcMessage message = ((Entry.Valid) entry).message();
    if (!(message instanceof Request request)) {
      return null;
    }
    switch (request.method()) {
      case "subtract":
        return Response.success(request.id(), new JsonPrimitive(subtract(request.params())));
      case "sum":
        long sum = 0;
        for (JsonElement n : request.params().getAsJsonArray()) {
          sum += n.getAsLong();
        }
        return Response.success(request.id(), new JsonPrimitive(sum));
      case "get_data":
        JsonArray data = new JsonArray();
        data.add("hello");
        data.add(5);
        return Response.success(request.id(), data);
      default:
        return Response.failure(request.id(), RpcError.of(ErrorCodes.METHOD_NOT_FOUND, "Method not found"));
    }
  }

  private static long subtract(JsonElement params) {
    if (params.isJsonArray()) {
      return params.getAsJsonArray().get(0).getAsLong() - params.getAsJsonArray().get(1).getAsLong();
    }
    JsonObject named = params.getAsJsonObject();
    return named.get("minuend").getAsLong() - named.get("subtrahend").getAsLong();
  }

  /** Compares as JSON trees; error messages are free text, so only their presence is checked. */
  private static void assertGolden(String frame, String expected) {
    String actual = serve(frame);
    assertThat(actual).as("reply to %s", frame).isNotNull();
    assertThat(withoutMessages(JsonParser.parseString(actual)))
        .as("reply to %s: %s", frame, actual)
        .isEqualTo(withoutMessages(JsonParser.parseString(expected)));
  }

  private static JsonElement withoutMessages(JsonElement tree) {
    JsonElement copy = tree.deepCopy();
    List<JsonObject> responses = new ArrayList<>();
    if (copy.isJsonArray()) {
      copy.getAsJsonArray().forEach(e -> responses.add(e.getAsJsonObject()));
    } else {
      responses.add(copy.getAsJsonObject());
    }
    for (JsonObject response : responses) {
      if (response.has("error")) {
        JsonObject error = response.getAsJsonObject("error");
        assertThat(error.get("message").getAsString()).isNotBlank();
        error.remove("message");
      }
    }
    return copy;
  }

  private static Request single(String frame) {
    Incoming incoming = RpcCodec.decodeCalls(frame);
    assertThat(incoming).isInstanceOf(Incoming.Single.class);
    Entry entry = ((Incoming.Single) incoming).entry();
    assertThat(entry).isInstanceOf(Entry.Valid.class);
    RpcMessage message = ((Entry.Valid) entry).message();
    assertThat(message).isInstanceOf(Request.class);
    return (Request) message;
  }

  private static List<Entry> batch(String frame) {
    Incoming incoming = RpcCodec.decodeCalls(frame);
    assertThat(incoming).isInstanceOf(Incoming.Batch.class);
    return ((Incoming.Batch) incoming).entries();
  }

  private static Response rejected(String frame) {
    Incoming incoming = RpcCodec.decodeCalls(frame);
    assertThat(incoming).isInstanceOf(Incoming.Rejected.class);
    Response response = ((Incoming.Rejected) incoming).response();
    assertThat(response.id().isJsonNull()).isTrue();
    return response;
  }

  private static void assertInvalidWithNullId(Entry entry) {
    assertThat(entry).isInstanceOf(Entry.Invalid.class);
    Response error = ((Entry.Invalid) entry).error();
    assertThat(error.error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
    assertThat(error.id().isJsonNull()).isTrue();
  }
}
