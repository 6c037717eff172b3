package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.parley.protocol.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names: room names, user names and client ids, accepted as given or refused with a -32602 naming the field. */
class NamesTest {

  // --- rooms: 1-64 of A-Z a-z 0-9 _ . -

  @ParameterizedTest
  @ValueSource(strings = {"a", "lobby", "Room_1.b-c", "0", "-", "_", ".", "..", "ABCxyz789"})
  void acceptedRooms(String room) {
    assertThat(Names.room("room", room)).isEqualTo(room);
  }

  @Test
  void roomOf64IsAcceptedAnd65Refused() {
    assertThat(Names.room("room", "r".repeat(64))).isEqualTo("r".repeat(64));
    assertRefused(() -> Names.room("room", "r".repeat(65)), "room");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "a b", "a/b", "/", "a\\b", "é", "caf\u00e9", "\u0661", "ｌｏｂｂｙ", "lobby\n", "\nlobby", "a\u0000",
        "😀", "a:b", "a#b", "a+b", "a*b"})
  void refusedRooms(String room) {
    assertRefused(() -> Names.room("room", room), "room");
  }

  @Test
  void nullRoomIsRefused() {
    RpcException e = assertRefused(() -> Names.room("room", null), "room");
    assertThat(e.error().message()).isEqualTo("room: expected 1-64 characters of A-Z a-z 0-9 _ . -, got nothing");
  }

  @Test
  void refusedRoomMessageSaysExpectedAndGot() {
    RpcException e = assertRefused(() -> Names.room("room", "a b"), "room");
    assertThat(e.error().message()).isEqualTo("room: expected 1-64 characters of A-Z a-z 0-9 _ . -, got \"a b\"");
  }

  @Test
  void fieldNameIsTheCallersChoice() {
    assertRefused(() -> Names.room("params.room", ""), "params.room");
  }

  // --- users: 1-32 code points, no control characters

  @ParameterizedTest
  @ValueSource(strings = {"a", "ann", "Zoë Ünal", "李小龍", "😀", "a b", "o'brien <3", "-"})
  void acceptedUsers(String user) {
    assertThat(Names.user("name", user)).isEqualTo(user);
  }

  @Test
  void userOf32IsAcceptedAnd33Refused() {
    assertThat(Names.user("name", "u".repeat(32))).isEqualTo("u".repeat(32));
    assertRefused(() -> Names.user("name", "u".repeat(33)), "name");
  }

  @Test
  void emojiCountAsOneCharacterEach() {
    String emoji32 = "😀".repeat(32);
    assertThat(emoji32.length()).isEqualTo(64);
    assertThat(Names.user("name", emoji32)).isEqualTo(emoji32);
    assertThat(Names.user("name", "a" + "😀".repeat(31))).isEqualTo("a" + "😀".repeat(31));
    assertRefused(() -> Names.user("name", "😀".repeat(33)), "name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\u0000b", "a\nb", "tab\t", "\r", "\u001b[31mred", "del\u007f", "c1\u0085", "c1\u009f"})
  void refusedUsers(String user) {
    assertRefused(() -> Names.user("name", user), "name");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F,
      0x061C, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x2028, 0x2029})
  void invisibleCharactersInUsersAreRefusedByCodePoint(int c) {
    String name = "alice" + Character.toString(c) + "x";
    RpcException e = assertRefused(() -> Names.user("name", name), "name");
    assertThat(e.error().message()).startsWith(String.format(
        "name: expected no bidi controls, zero-width characters or line separators, got U+%04X (a ", c));
  }

  @Test
  void refusedBidiOverrideMessageSaysWhatItIs() {
    RpcException e = assertRefused(() -> Names.user("from", "admin\u202Enimda"), "from");
    assertThat(e.error().message()).isEqualTo("from: expected no bidi controls, zero-width characters or line separators, got U+202E (a bidirectional control)");
    RpcException zw = assertRefused(() -> Names.user("name", "\uFEFFbob"), "name");
    assertThat(zw.error().message()).isEqualTo("name: expected no bidi controls, zero-width characters or line separators, got U+FEFF (a zero-width character)");
    RpcException ls = assertRefused(() -> Names.user("sub", "bob\u2028INFO fake"), "sub");
    assertThat(ls.error().message()).isEqualTo("sub: expected no bidi controls, zero-width characters or line separators, got U+2028 (a line or paragraph separator)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u05E9\u05DC\u05D5\u05DD", "\u0645\u0631\u062D\u0628\u0627", "a\u200Ab"})
  void ordinaryRightToLeftNamesAndOtherSpacesAreAccepted(String user) {
    assertThat(Names.user("name", user)).isEqualTo(user);
  }

  @Test
  void nullUserIsRefused() {
    RpcException e = assertRefused(() -> Names.user("name", null), "name");
    assertThat(e.error().message()).isEqualTo("name: expected 1-32 characters without control characters, got nothing");
  }

  @Test
  void refusedUserMessageHidesControlCharacters() {
    RpcException e = assertRefused(() -> Names.user("name", "a\nb\u0000"), "name");
    assertThat(e.error().message())
        .isEqualTo("name: expected 1-32 characters without control characters, got \"a?b?\"");
  }

  @Test
  void refusedUserMessageKeepsSurrogatePairsWhole() {
    // 33 emoji is 66 chars: the message cuts the quoted value at 37, mid-pair unless it takes care
    RpcException e = assertRefused(() -> Names.user("name", "😀".repeat(33)), "name");
    String message = e.error().message();
    assertThat(message).startsWith("name: expected 1-32 characters without control characters, got \"😀😀");
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertThat(i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1)))
            .as("lone high surrogate at %d in %s", i, message)
            .isTrue();
        i++;
      } else {
        assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
      }
    }
  }

  // --- clientId: optional, 1-128 characters

  @Test
  void clientIdIsOptional() {
    assertThat(Names.clientId("clientId", null)).isNull();
  }

  @Test
  void clientIdOf1And128AreAcceptedAnd129Refused() {
    assertThat(Names.clientId("clientId", "c")).isEqualTo("c");
    assertThat(Names.clientId("clientId", "c".repeat(128))).isEqualTo("c".repeat(128));
    RpcException e = assertRefused(() -> Names.clientId("clientId", "c".repeat(129)), "clientId");
    assertThat(e.error().message()).startsWith("clientId: expected 1-128 characters").contains("got 129");
  }

  @Test
  void clientIdLengthCountsCodePointsNotUtf16Units() {
    String face = "\uD83D\uDE00"; // one code point, two UTF-16 units
    assertThat(Names.clientId("clientId", face.repeat(128))).isEqualTo(face.repeat(128));
    RpcException e = assertRefused(() -> Names.clientId("clientId", face.repeat(129)), "clientId");
    assertThat(e.error().message()).startsWith("clientId: expected 1-128 characters").endsWith("got 129 characters");
  }

  @Test
  void emptyClientIdIsRefused() {
    RpcException e = assertRefused(() -> Names.clientId("clientId", ""), "clientId");
    assertThat(e.error().message()).startsWith("clientId: expected 1-128 characters").contains("got 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "lone\ud83d", "\ude00lone", "\ude00\ud83d"})
  void clientIdThatCannotBeStoredIsRefused(String clientId) {
    assertRefused(() -> Names.clientId("clientId", clientId), "clientId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lone\ud83d", "\ude00lone", "a\ud83d\ud83d"})
  void userWithUnpairedSurrogateIsRefused(String user) {
    assertRefused(() -> Names.user("name", user), "name");
  }

  @Test
  void storableText() {
    assertThat(Names.isStorable("")).isTrue();
    assertThat(Names.isStorable("plain, é, 😀, \u0001")).isTrue();
    assertThat(Names.isStorable("\u0000")).isFalse();
    assertThat(Names.isStorable("x\ud83d")).isFalse();
    assertThat(Names.isStorable("\ude00x")).isFalse();
  }

  @Test
  void limitsAreTheContractDefaults() {
    assertThat(Names.MAX_ROOM).isEqualTo(64);
    assertThat(Names.MAX_USER).isEqualTo(32);
    assertThat(Names.MAX_CLIENT_ID).isEqualTo(128);
  }

  private static RpcException assertRefused(Runnable check, String field) {
    RpcException e = catchThrowableOfType(RpcException.class, check::run);
    assertThat(e).as("expected %s to be refused", field).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
    assertThat(e.error().data()).isEqualTo(Json.object("field", field));
    assertThat(e.error().message()).startsWith(field + ": expected ");
    return e;
  }
}
