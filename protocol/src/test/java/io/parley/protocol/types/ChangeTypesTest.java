package io.parley.protocol.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.parley.protocol.Methods;
import io.parley.protocol.Names;
import io.parley.protocol.Notifications;
import io.parley.protocol.RpcException;
import io.parley.protocol.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contract 1.1 edits, deletions and reactions: the shapes on the wire, both ways. */
class ChangeTypesTest {
  private static final String TS = "2026-11-22T10:15:30.123Z";

  private static JsonElement json(String text) {
    return JsonParser.parseString(text);
  }

  @Test
  void aPlainMessageIsWrittenAsIn10() {
    Message plain = new Message("lobby", 3, "ann", "hi", TS, null);
    assertThat(Json.write(Json.toTree(plain)))
        .isEqualTo("{\"room\":\"lobby\",\"seq\":3,\"from\":\"ann\",\"text\":\"hi\",\"ts\":\"" + TS + "\"}");
    assertThat(new Message("lobby", 3, "ann", "hi", TS, null, null, null, false, Map.of())).isEqualTo(plain);
  }

  @Test
  void aMessageShowsItsStateAndReadsBack() {
    Map<String, List<String>> reactions = new LinkedHashMap<>();
    reactions.put("👍", List.of("bob", "ann"));
    reactions.put(":party:", List.of("cy"));
    Message edited = new Message("lobby", 3, "ann", "hello", TS, "c", null, TS, null, reactions);
    String text = Json.write(Json.toTree(edited));
    assertThat(text).isEqualTo("{\"room\":\"lobby\",\"seq\":3,\"from\":\"ann\",\"text\":\"hello\",\"ts\":\"" + TS
        + "\",\"clientId\":\"c\",\"edited\":\"" + TS + "\",\"reactions\":{\"👍\":[\"bob\",\"ann\"],\":party:\":[\"cy\"]}}");
    assertThat(Message.from(json(text))).isEqualTo(edited);
    assertThat(List.copyOf(Message.from(json(text)).reactions().keySet())).containsExactly("👍", ":party:");

    Message deleted = new Message("lobby", 4, "ann", "", TS, null, null, null, true, null);
    assertThat(Json.write(Json.toTree(deleted))).endsWith(",\"deleted\":true}");
    assertThat(Message.from(json(Json.write(Json.toTree(deleted)))).isDeleted()).isTrue();

    assertThatThrownBy(() -> Message.from(json("{\"room\":\"a\",\"seq\":1,\"from\":\"x\",\"text\":\"t\",\"ts\":\"" + TS
        + "\",\"reactions\":{\"👍\":\"bob\"}}"))).isInstanceOf(RpcException.class)
        .hasMessageContaining("reactions.👍: expected an array of user names");
  }

  @Test
  void changesRoundTrip() {
    Change edit = Change.edit("lobby", 1, 3, "ann", TS, "hello");
    Change delete = Change.delete("lobby", 2, 3, "ann", TS);
    Change react = Change.react("lobby", 3, 4, "bob", TS, "👍", false);
    assertThat(Json.write(Json.toTree(edit))).isEqualTo(
        "{\"room\":\"lobby\",\"rev\":1,\"seq\":3,\"kind\":\"edit\",\"user\":\"ann\",\"ts\":\"" + TS + "\",\"text\":\"hello\"}");
    assertThat(Json.write(Json.toTree(react))).endsWith("\"emoji\":\"👍\",\"on\":false}");
    for (Change c : List.of(edit, delete, react)) {
      assertThat(Notifications.CHAT_CHANGE.readParams(Notifications.CHAT_CHANGE.toMessage(c).params())).isEqualTo(c);
    }
    ChangesResult page = new ChangesResult(List.of(edit, delete), true);
    assertThat(Methods.CHANGES.readResult(Methods.CHANGES.writeResult(page))).isEqualTo(page);
  }

  @Test
  void paramsOfTheNewMethods() {
    assertThat(Json.write(Methods.EDIT.writeParams(new EditParams("lobby", 3, "x"))))
        .isEqualTo("{\"room\":\"lobby\",\"seq\":3,\"text\":\"x\"}");
    assertThat(Methods.REACT.readParams(json("{\"room\":\"lobby\",\"seq\":3,\"emoji\":\"👍\",\"on\":true}")))
        .isEqualTo(new ReactParams("lobby", 3, "👍", true));
    assertThat(Methods.DELETE.readParams(json("{\"room\":\"lobby\",\"seq\":3}"))).isEqualTo(new MessageRef("lobby", 3));
    assertThat(Methods.CHANGES.readParams(json("{\"room\":\"lobby\",\"after\":7}")))
        .isEqualTo(new ChangesParams("lobby", 7, null));
    assertThatThrownBy(() -> Methods.REACT.readParams(json("{\"room\":\"lobby\",\"seq\":3,\"emoji\":\"👍\"}")))
        .hasMessage("-32602 on: expected a boolean, got nothing");
    ChangeResult result = new ChangeResult("lobby", 3, 9, false);
    assertThat(Json.write(Methods.EDIT.writeResult(result)))
        .isEqualTo("{\"room\":\"lobby\",\"seq\":3,\"rev\":9,\"changed\":false}");
  }

  @Test
  void joinWithSinceRev() {
    assertThat(Json.write(Methods.JOIN.writeParams(new JoinParams("lobby", 4L, 2L))))
        .isEqualTo("{\"room\":\"lobby\",\"since\":4,\"sinceRev\":2}");
    JoinResult result = new JoinResult("lobby", 4, List.of("ann"), List.of(), false, 0, 3,
        List.of(Change.delete("lobby", 3, 1, "ann", TS)));
    assertThat(Methods.JOIN.readResult(Methods.JOIN.writeResult(result))).isEqualTo(result);
    assertThat(Methods.JOIN.readResult(json("{\"room\":\"lobby\",\"seq\":0,\"members\":[],\"missed\":[],"
        + "\"truncated\":false}")).rev()).as("a 1.0 server's result").isZero();
  }

  @Test
  void emoji() {
    assertThat(Names.emoji("emoji", "👍")).isEqualTo("👍");
    assertThat(Names.emoji("emoji", "👨‍👩‍👧")).as("a ZWJ sequence").isEqualTo("👨‍👩‍👧");
    assertThat(Names.emoji("emoji", ":party_parrot:")).isEqualTo(":party_parrot:");
    assertThat(Names.emoji("emoji", "x".repeat(32))).hasSize(32);
    for (String bad : List.of("", " ", "a b", "a\tb", "x".repeat(33), "\u0007", "a\u00a0b", "a\u2028")) {
      assertThatThrownBy(() -> Names.emoji("emoji", bad)).isInstanceOf(RpcException.class)
          .hasMessageStartingWith("-32602 emoji: expected 1-32 characters without spaces or control characters, got ");
    }
  }
}
