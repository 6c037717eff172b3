package io.parley.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.parley.protocol.ErrorCodes;
import io.parley.protocol.RpcCodec;
import io.parley.protocol.RpcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FieldReader: exact types, null as missing, and -32602 errors that name the field and say expected vs got. */
class FieldReaderTest {

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"x\"", "5", "true", "null"})
  void paramsMustBeAnObject(String params) {
    RpcException e = fails(() -> FieldReader.of(tree(params)));
    assertInvalidParams(e, "params", "params: expected an object, got " + params);
  }

  @Test
  void absentParamsAreNotAnObject() {
    RpcException e = fails(() -> FieldReader.of(null));
    assertInvalidParams(e, "params", "params: expected an object, got nothing");
  }

  @Test
  void readsEachType() throws Exception {
    FieldReader r = reader("{\"s\":\"a\",\"i\":-42,\"b\":true,\"l\":[\"x\",\"y\"],\"big\":9223372036854775807}");
    assertThat(r.string("s")).isEqualTo("a");
    assertThat(r.optString("s")).isEqualTo("a");
    assertThat(r.integer("i")).isEqualTo(-42L);
    assertThat(r.optInteger("i")).isEqualTo(-42L);
    assertThat(r.integer("big")).isEqualTo(Long.MAX_VALUE);
    assertThat(r.bool("b")).isTrue();
    assertThat(r.list("l", e -> FieldReader.stringItem("l", e))).containsExactly("x", "y");
  }

  @Test
  void integerFromAGsonTreeNumberWorksToo() {
    JsonObject object = new JsonObject();
    object.addProperty("seq", 7L);
    object.addProperty("n", 3);
    assertThat(FieldReader.of(object).integer("seq")).isEqualTo(7L);
    assertThat(FieldReader.of(object).integer("n")).isEqualTo(3L);
  }

  @Test
  void missingOptionalsAreNull() throws Exception {
    FieldReader r = reader("{\"s\":null,\"i\":null}");
    assertThat(r.optString("s")).isNull();
    assertThat(r.optString("absent")).isNull();
    assertThat(r.optInteger("i")).isNull();
    assertThat(r.optInteger("absent")).isNull();
  }

  @Test
  void missingRequiredFieldSaysGotNothing() throws Exception {
    FieldReader r = reader("{\"other\":1,\"nul\":null}");
    assertInvalidParams(fails(() -> r.string("room")), "room", "room: expected a string, got nothing");
    assertInvalidParams(fails(() -> r.string("nul")), "nul", "nul: expected a string, got nothing");
    assertInvalidParams(fails(() -> r.integer("seq")), "seq", "seq: expected an integer, got nothing");
    assertInvalidParams(fails(() -> r.bool("truncated")), "truncated", "truncated: expected a boolean, got nothing");
    assertInvalidParams(
        fails(() -> r.list("members", e -> e)), "members", "members: expected an array, got nothing");
  }

  @Test
  void stringForAnIntegerIsRefused() throws Exception {
    FieldReader r = reader("{\"seq\":\"5\"}");
    assertInvalidParams(fails(() -> r.integer("seq")), "seq", "seq: expected an integer, got \"5\"");
    assertInvalidParams(fails(() -> r.optInteger("seq")), "seq", "seq: expected an integer, got \"5\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "-0.1", "1e-3", "9223372036854775808", "-9223372036854775809", "1e400"})
  void nonIntegralOrOutOfRangeNumberIsRefused(String number) throws Exception {
    FieldReader r = reader("{\"seq\":" + number + "}");
    assertInvalidParams(fails(() -> r.integer("seq")), "seq", "seq: expected an integer, got " + number);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "[1]", "{\"a\":1}"})
  void otherTypesForAnIntegerAreRefused(String value) throws Exception {
    FieldReader r = reader("{\"seq\":" + value + "}");
    assertInvalidParams(fails(() -> r.integer("seq")), "seq", "seq: expected an integer, got " + value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "true", "[\"a\"]", "{}"})
  void nonStringForAStringIsRefused(String value) throws Exception {
    FieldReader r = reader("{\"room\":" + value + "}");
    assertInvalidParams(fails(() -> r.string("room")), "room", "room: expected a string, got " + value);
    assertInvalidParams(fails(() -> r.optString("room")), "room", "room: expected a string, got " + value);
  }

  @Test
  void wrongBooleanAndArray() throws Exception {
    FieldReader r = reader("{\"truncated\":\"true\",\"members\":{}}");
    assertInvalidParams(
        fails(() -> r.bool("truncated")), "truncated", "truncated: expected a boolean, got \"true\"");
    assertInvalidParams(fails(() -> r.list("members", e -> e)), "members", "members: expected an array, got {}");
  }

  @Test
  void wrongArrayItem() throws Exception {
    FieldReader r = reader("{\"members\":[\"a\",2]}");
    assertInvalidParams(
        fails(() -> r.list("members", e -> FieldReader.stringItem("members", e))),
        "members",
        "members: expected a string, got 2");
  }

  @Test
  void integralNumbersWrittenOtherwiseAreIntegers() throws Exception {
    FieldReader r = reader("{\"a\":1.0,\"b\":1e2,\"c\":-0}");
    assertThat(r.integer("a")).isEqualTo(1L);
    assertThat(r.integer("b")).isEqualTo(100L);
    assertThat(r.integer("c")).isEqualTo(0L);
  }

  @Test
  void longValuesAreCutInMessages() throws Exception {
    FieldReader r = reader("{\"seq\":\"" + "x".repeat(100) + "\"}");
    RpcException e = fails(() -> r.integer("seq"));
    assertThat(e.error().message()).startsWith("seq: expected an integer, got \"xxx").endsWith("...");
    assertThat(e.error().message().length()).isLessThan(80);
  }

  @Test
  void cutMessagesDoNotSplitASurrogatePair() throws Exception {
    // '"' + 'a' puts the 37-character cut between the two halves of an emoji
    FieldReader r = reader("{\"seq\":\"a" + "😀".repeat(30) + "\"}");
    String message = fails(() -> r.integer("seq")).error().message();
    assertThat(message).startsWith("seq: expected an integer, got \"a😀");
    assertWellFormedUtf16(message);
  }

  @Test
  void unknownMembersAreIgnored() throws Exception {
    FieldReader r = reader("{\"room\":\"a\",\"future\":{\"x\":[1,2]},\"z\":null}");
    assertThat(r.string("room")).isEqualTo("a");
  }

  static void assertWellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
            .as("high surrogate at %d of %s is not followed by a low one", i, s)
            .isTrue();
        i++;
      } else {
        assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d of %s", i, s).isFalse();
      }
    }
  }

  private static JsonElement tree(String json) throws StrictJsonParser.Failure {
    return StrictJsonParser.parse(json, RpcCodec.MAX_DEPTH);
  }

  private static FieldReader reader(String json) throws StrictJsonParser.Failure {
    return FieldReader.of(tree(json));
  }

  private static RpcException fails(ThrowingSupplier<?> call) {
    RpcException e = catchThrowableOfType(RpcException.class, () -> call.get());
    assertThat(e).as("expected an RpcException").isNotNull();
    return e;
  }

  private static void assertInvalidParams(RpcException e, String field, String message) {
    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    assertThat(e.error().code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    assertThat(e.error().data()).isEqualTo(Json.object("field", field));
    assertThat(e.error().data().getAsJsonObject().get("field")).isEqualTo(new JsonPrimitive(field));
    assertThat(e.error().message()).isEqualTo(message);
  }
}
