package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RpcCodec edge cases beyond the specification's examples: id echo, nulls, strictness, limits, encoding, server side. */
class RpcCodecTest {

  // --- ids are echoed as the exact token that arrived

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.0", "1e2", "-0", "12345678901234567890123", "-7.25E-3", "\"1\"", "\"abc\"", "null"})
  void idIsEchoedAsTheSameToken(String id) {
    Request request = request("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":" + id + "}");
    assertThat(RpcCodec.encode(Response.success(request.id(), JsonNull.INSTANCE)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":null}");
    assertThat(RpcCodec.encode(Response.failure(request.id(), RpcError.of(-32601, "no"))))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":\"no\"}}");
  }

  @Test
  void stringIdStaysAString() {
    Request request = request("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":\"1\"}");
    assertThat(request.id().getAsJsonPrimitive().isString()).isTrue();
    assertThat(request.id().getAsString()).isEqualTo("1");
  }

  @Test
  void nullIdIsARequestNotANotification() {
    Request request = request("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":null}");
    assertThat(request.id()).isEqualTo(JsonNull.INSTANCE);
  }

  @Test
  void idIsEchoedInBatchReplies() {
    List<Entry> entries = batch("[{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"id\":1.50},{\"jsonrpc\":\"2.0\",\"method\":\"b\",\"id\":\"x\"}]");
    Request first = (Request) ((Entry.Valid) entries.get(0)).message();
    Request second = (Request) ((Entry.Valid) entries.get(1)).message();
    assertThat(RpcCodec.encodeBatch(List.of(
            Response.success(first.id(), new JsonPrimitive(1)), Response.success(second.id(), new JsonPrimitive(2)))))
        .isEqualTo("[{\"jsonrpc\":\"2.0\",\"id\":1.50,\"result\":1},{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":2}]");
  }

  // --- null members survive

  @Test
  void nullMembersInResultAreKept() {
    JsonElement params = request("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"a\":null,\"b\":[null]},\"id\":1}").params();
    assertThat(RpcCodec.encode(Response.success(new JsonPrimitive(1), params)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"a\":null,\"b\":[null]}}");
  }

  @Test
  void nullResultIsWritten() {
    assertThat(RpcCodec.encode(Response.success(new JsonPrimitive(1), null)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}");
    assertThat(RpcCodec.encode(Response.success(new JsonPrimitive(1), JsonNull.INSTANCE)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":null}");
  }

  @Test
  void responseWithoutIdWritesIdNull() {
    assertThat(RpcCodec.encode(Response.failure(null, RpcError.of(-32700, "Parse error"))))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
  }

  // --- the envelope

  @ParameterizedTest
  @ValueSource(strings = {"", "\"jsonrpc\":\"1.0\",", "\"jsonrpc\":2.0,", "\"jsonrpc\":null,", "\"jsonrpc\":\"2.0 \","})
  void wrongVersionIsInvalidRequestWithTheIdEchoed(String version) {
    Response error = invalid("{" + version + "\"method\":\"echo\",\"id\":7}");
    assertThat(RpcCodec.encode(error)).startsWith("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32600,");
  }

  @Test
  void wrongVersionWithStringIdEchoesTheString() {
    Response error = invalid("{\"jsonrpc\":\"1.0\",\"method\":\"echo\",\"id\":\"abc\"}");
    assertThat(error.id()).isEqualTo(new JsonPrimitive("abc"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "[]", "[1]", "true", "false", "{\"a\":1}"})
  void illegalIdIsInvalidRequestWithNullId(String id) {
    Response error = invalid("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":" + id + "}");
    assertThat(error.id()).isEqualTo(JsonNull.INSTANCE);
  }

  @Test
  void illegalIdAndWrongVersionStillGiveNullId() {
    Response error = invalid("{\"jsonrpc\":\"1.0\",\"method\":\"echo\",\"id\":{\"x\":1}}");
    assertThat(error.id()).isEqualTo(JsonNull.INSTANCE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"bar\"", "5", "true", "null"})
  void paramsMustBeObjectOrArray(String params) {
    Response error = invalid("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":" + params + ",\"id\":3}");
    assertThat(error.id().toString()).isEqualTo("3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "null", "[\"echo\"]", "{}", "true"})
  void methodMustBeAString(String method) {
    Response error = invalid("{\"jsonrpc\":\"2.0\",\"method\":" + method + ",\"id\":4}");
    assertThat(error.id().toString()).isEqualTo("4");
  }

  @Test
  void callWithoutMethodIsInvalidRequest() {
    Response error = invalid("{\"jsonrpc\":\"2.0\",\"id\":5}");
    assertThat(error.id().toString()).isEqualTo("5");
  }

  @Test
  void responseSentToTheServerIsInvalidRequest() {
    invalid("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":1}");
  }

  @Test
  void nonObjectSingleValueIsInvalidRequest() {
    invalid("42");
    invalid("\"hello\"");
    invalid("null");
  }

  @Test
  void emptyParamsAreKeptNotDropped() {
    assertThat(request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[],\"id\":1}").params())
        .isEqualTo(JsonParser.parseString("[]"));
    assertThat(request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{},\"id\":1}").params())
        .isEqualTo(new JsonObject());
  }

  // --- structural refusals: -32600 for the whole frame

  @Test
  void duplicateKeysAreRejected() {
    Response response = rejected("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"method\":\"b\",\"id\":1}");
    assertThat(response.error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
  }

  @Test
  void duplicateKeysInsideParamsAreRejected() {
    Response response = rejected("{\"jsonrpc\":\"2.0\",\"method\":\"a\",\"params\":{\"x\":1,\"x\":2},\"id\":1}");
    assertThat(response.error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
  }

  @Test
  void nestingOfExactly64IsAccepted() {
    // the envelope object is level 1, so 63 arrays inside params make 64
    Request request = request(nested(63));
    assertThat(request.method()).isEqualTo("echo");
    assertThat(RpcCodec.encode(Response.success(request.id(), request.params())))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + "[".repeat(63) + "]".repeat(63) + "}");
  }

  @Test
  void nestingDeeperThan64IsRejected() {
    Response response = rejected(nested(64));
    assertThat(response.error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
  }

  @Test
  void hugeNestingIsRejectedWithoutOverflowingTheStack() {
    Response response = rejected("[".repeat(200_000) + "]".repeat(200_000));
    assertThat(response.error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
  }

  @Test
  void arrayNestingCountsForBatchesToo() {
    assertThat(RpcCodec.decodeCalls("[".repeat(64) + "]".repeat(64))).isInstanceOf(Incoming.Batch.class);
    assertThat(rejected("[".repeat(65) + "]".repeat(65)).error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
  }

  // --- not JSON: -32700

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{} {}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1} x",
        "[] []",
        "",
        " ",
        " \n\t\r ",
        "NaN",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[NaN],\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[Infinity],\"id\":1}",
        "{'jsonrpc':'2.0','method':'m','id':1}",
        "{\"jsonrpc\":\"2.0\",\"method\":'m',\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":01}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":-01}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[00],\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1,}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[1,],\"id\":1}",
        "{jsonrpc:\"2.0\",\"method\":\"m\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1",
        "{\"jsonrpc\":\"2.0\";\"method\":\"m\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\\x\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":.5}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":+1}",
        ")]}'\n{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}",
        "/* c */ {\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1}",
        "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"id\":1} // c",
      })
  void notJsonIsParseError(String text) {
    Response response = rejected(text);
    assertThat(response.error().code()).as("for %s", text).isEqualTo(ErrorCodes.PARSE_ERROR);
    assertThat(response.error().message()).isNotBlank().doesNotContain("\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\u0001", "\n", "\t", "\r", "\u001f"})
  void unescapedControlCharacterInStringIsParseError(String control) {
    Response response = rejected("{\"jsonrpc\":\"2.0\",\"method\":\"m" + control + "\",\"id\":1}");
    assertThat(response.error().code()).isEqualTo(ErrorCodes.PARSE_ERROR);
  }

  @Test
  void escapedControlCharactersAreFine() {
    Request request = request("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":[\"a\\nb\\u0000c\\t\"],\"id\":1}");
    assertThat(request.params().getAsJsonArray().get(0).getAsString()).isEqualTo("a\nb\u0000c\t");
    assertThat(RpcCodec.encode(Response.success(request.id(), request.params())))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"a\\nb\\u0000c\\t\"]}");
  }

  @Test
  void parseErrorMessageHidesGsonTroubleshootingLinks() {
    Response response = rejected("{'a':1}");
    assertThat(response.error().message()).startsWith("Parse error").doesNotContain("troubleshooting");
  }

  // --- text round trips

  @Test
  void unicodeRoundTrips() {
    String text = "héllo wörld, 世界, 😀, Ω";
    Request request = request("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"" + text + "\"],\"id\":1}");
    assertThat(request.params().getAsJsonArray().get(0).getAsString()).isEqualTo(text);
    assertThat(RpcCodec.encode(Response.success(request.id(), request.params())))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"" + text + "\"]}");
  }

  @Test
  void escapedSurrogatePairDecodesToOneCodePoint() {
    Request request = request("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"\\ud83d\\ude00\\u00e9\"],\"id\":1}");
    String value = request.params().getAsJsonArray().get(0).getAsString();
    assertThat(value).isEqualTo("😀é");
    assertThat(value.codePointCount(0, value.length())).isEqualTo(2);
    assertThat(RpcCodec.encode(Response.success(request.id(), request.params())))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"😀é\"]}");
  }

  @Test
  void htmlCharactersAreNotEscaped() {
    Request request = request("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":{\"t\":\"<b>&'=</b>\"},\"id\":1}");
    assertThat(RpcCodec.encode(Response.success(request.id(), request.params())))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"t\":\"<b>&'=</b>\"}}");
    assertThat(RpcCodec.encode(Response.failure(request.id(), RpcError.of(-32602, "text: <a> & 'b'"))))
        .contains("\"message\":\"text: <a> & 'b'\"");
    assertThat(RpcCodec.encode(new Notification("a<b>&'", null)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"a<b>&'\"}");
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertThat(RpcCodec.encode(Response.success(new JsonPrimitive(1), new JsonPrimitive("a\"b\\c"))))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"a\\\"b\\\\c\"}");
  }

  // --- encoding calls

  @Test
  void encodeRequestWithParams() {
    JsonElement params = JsonParser.parseString("{\"room\":\"lobby\",\"text\":\"hi\"}");
    assertThat(RpcCodec.encode(new Request(new JsonPrimitive(5), "chat.send", params)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"chat.send\",\"params\":{\"room\":\"lobby\",\"text\":\"hi\"}}");
  }

  @Test
  void encodeRequestOmitsNullParams() {
    assertThat(RpcCodec.encode(new Request(new JsonPrimitive("a"), "rpc.discover", null)))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"rpc.discover\"}");
  }

  @Test
  void encodeNotification() {
    assertThat(RpcCodec.encode(new Notification("room.joined", JsonParser.parseString("[1,null]"))))
        .isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"room.joined\",\"params\":[1,null]}");
    assertThat(RpcCodec.encode(new Notification("ping", null))).isEqualTo("{\"jsonrpc\":\"2.0\",\"method\":\"ping\"}");
  }

  @Test
  void encodeErrorWithData() {
    RpcError error = RpcError.invalidParams("room", "room: expected a string, got 5");
    assertThat(RpcCodec.encode(Response.failure(new JsonPrimitive(2), error)))
        .isEqualTo(
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,"
                + "\"message\":\"room: expected a string, got 5\",\"data\":{\"field\":\"room\"}}}");
  }

  @Test
  void encodedCallsDecodeBackToTheSameMessage() {
    Request request = new Request(new JsonPrimitive("r-1"), "chat.send", JsonParser.parseString("{\"a\":[1,{\"b\":null}]}"));
    Notification notification = new Notification("chat.message", JsonParser.parseString("{\"seq\":3}"));
    assertThat(RpcCodec.decodeCalls(RpcCodec.encode(request))).isEqualTo(new Incoming.Single(new Entry.Valid(request)));
    assertThat(RpcCodec.decodeCalls(RpcCodec.encode(notification)))
        .isEqualTo(new Incoming.Single(new Entry.Valid(notification)));
  }

  @Test
  void encodeEmptyBatch() {
    assertThat(RpcCodec.encodeBatch(List.of())).isEqualTo("[]");
  }

  // --- decodeFromServer

  @Test
  void serverSuccessResponse() {
    Response response = fromServer("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"x\":[1,null]}}");
    assertThat(response.isError()).isFalse();
    assertThat(response.id().toString()).isEqualTo("1");
    assertThat(response.result()).isEqualTo(JsonParser.parseString("{\"x\":[1,null]}"));
  }

  @Test
  void serverNullResult() {
    Response response = fromServer("{\"jsonrpc\":\"2.0\",\"result\":null,\"id\":\"q\"}");
    assertThat(response.isError()).isFalse();
    assertThat(response.result()).isEqualTo(JsonNull.INSTANCE);
    assertThat(response.id()).isEqualTo(new JsonPrimitive("q"));
  }

  @Test
  void serverErrorWithData() {
    Response response =
        fromServer(
            "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":-32003,\"message\":\"slow down\","
                + "\"data\":{\"retryAfterMs\":250}}}");
    assertThat(response.isError()).isTrue();
    assertThat(response.result()).isNull();
    assertThat(response.error().code()).isEqualTo(ErrorCodes.RATE_LIMITED);
    assertThat(response.error().message()).isEqualTo("slow down");
    assertThat(response.error().data()).isEqualTo(JsonParser.parseString("{\"retryAfterMs\":250}"));
  }

  @Test
  void serverErrorWithoutData() {
    Response response =
        fromServer("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}");
    assertThat(response.id()).isEqualTo(JsonNull.INSTANCE);
    assertThat(response.error()).isEqualTo(RpcError.of(-32700, "Parse error"));
    assertThat(response.error().data()).isNull();
  }

  @Test
  void serverNotification() {
    Incoming incoming =
        RpcCodec.decodeFromServer("{\"jsonrpc\":\"2.0\",\"method\":\"room.joined\",\"params\":{\"room\":\"a\",\"user\":\"b\"}}");
    assertThat(incoming)
        .isEqualTo(
            new Incoming.Single(
                new Entry.Valid(new Notification("room.joined", JsonParser.parseString("{\"room\":\"a\",\"user\":\"b\"}")))));
  }

  @Test
  void serverBatchOfResponses() {
    Incoming incoming =
        RpcCodec.decodeFromServer("[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1},{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":2}]");
    assertThat(incoming).isInstanceOf(Incoming.Batch.class);
    assertThat(((Incoming.Batch) incoming).entries()).hasSize(2).allMatch(e -> e instanceof Entry.Valid);
  }

  @Test
  void serverResponseWithBothResultAndErrorIsInvalid() {
    Entry entry =
        fromServerEntry(
            "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":1,\"error\":{\"code\":-32603,\"message\":\"x\"}}");
    assertThat(entry).isInstanceOf(Entry.Invalid.class);
    Response error = ((Entry.Invalid) entry).error();
    assertThat(error.error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
    assertThat(error.id().toString()).isEqualTo("9");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"jsonrpc\":\"2.0\",\"id\":9}",
        "{\"jsonrpc\":\"2.0\",\"result\":1}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":\"boom\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":\"-32603\",\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":1.5,\"message\":\"x\"}}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32603}}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-32603,\"message\":7}}",
        "{\"id\":9,\"result\":1}",
      })
  void malformedServerResponsesAreInvalid(String text) {
    Entry entry = fromServerEntry(text);
    assertThat(entry).isInstanceOf(Entry.Invalid.class);
    assertThat(((Entry.Invalid) entry).error().error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
  }

  @Test
  void serverParseErrorIsRejected() {
    Incoming incoming = RpcCodec.decodeFromServer("{\"jsonrpc\":");
    assertThat(incoming).isInstanceOf(Incoming.Rejected.class);
    assertThat(((Incoming.Rejected) incoming).response().error().code()).isEqualTo(ErrorCodes.PARSE_ERROR);
  }

  // --- helpers

  /** A frame of one request nesting {@code arrays} arrays inside params. */
  private static String nested(int arrays) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":" + "[".repeat(arrays) + "]".repeat(arrays) + ",\"id\":1}";
  }

  private static Request request(String text) {
    Incoming incoming = RpcCodec.decodeCalls(text);
    assertThat(incoming).as("decoding %s", text).isInstanceOf(Incoming.Single.class);
    Entry entry = ((Incoming.Single) incoming).entry();
    assertThat(entry).as("decoding %s", text).isInstanceOf(Entry.Valid.class);
    RpcMessage message = ((Entry.Valid) entry).message();
    assertThat(message).isInstanceOf(Request.class);
    return (Request) message;
  }

  private static List<Entry> batch(String text) {
    Incoming incoming = RpcCodec.decodeCalls(text);
    assertThat(incoming).isInstanceOf(Incoming.Batch.class);
    return ((Incoming.Batch) incoming).entries();
  }

  /** A single frame that decodes to an Invalid entry with -32600. */
  private static Response invalid(String text) {
    Incoming incoming = RpcCodec.decodeCalls(text);
    assertThat(incoming).as("decoding %s", text).isInstanceOf(Incoming.Single.class);
    Entry entry = ((Incoming.Single) incoming).entry();
    assertThat(entry).as("decoding %s", text).isInstanceOf(Entry.Invalid.class);
    Response error = ((Entry.Invalid) entry).error();
    assertThat(error.error().code()).isEqualTo(ErrorCodes.INVALID_REQUEST);
    assertThat(error.result()).isNull();
    return error;
  }

  /** A frame refused as a whole, always with id null. */
  private static Response rejected(String text) {
    Incoming incoming = RpcCodec.decodeCalls(text);
    assertThat(incoming).as("decoding %s", text).isInstanceOf(Incoming.Rejected.class);
    Response response = ((Incoming.Rejected) incoming).response();
    assertThat(response.id()).isEqualTo(JsonNull.INSTANCE);
    assertThat(RpcCodec.encode(response)).startsWith("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{");
    return response;
  }

  private static Entry fromServerEntry(String text) {
    Incoming incoming = RpcCodec.decodeFromServer(text);
    assertThat(incoming).isInstanceOf(Incoming.Single.class);
    return ((Incoming.Single) incoming).entry();
  }

  private static Response fromServer(String text) {
    Entry entry = fromServerEntry(text);
    assertThat(entry).isInstanceOf(Entry.Valid.class);
    RpcMessage message = ((Entry.Valid) entry).message();
    assertThat(message).isInstanceOf(Response.class);
    return (Response) message;
  }
}
