package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;

/**
 * A stored change to one message (contract 1.1): the params of the {@code chat.change}
 * notification and the items of {@code chat.changes} and of a join's {@code changes}.
 *
 * @param room the room of the message
 * @param rev the room's change counter after this change: from 1, gap-free, never reused
 * @param seq the message changed
 * @param kind {@link #EDIT}, {@link #DELETE} or {@link #REACT}
 * @param user who changed it
 * @param ts when it was stored (RFC 3339 UTC with milliseconds)
 * @param text (edit) the new text, otherwise {@code null}
 * @param emoji (react) the reaction, otherwise {@code null}
 * @param on (react) {@code true} when added, {@code false} when taken back; otherwise {@code null}
 */
public record Change(String room, long rev, long seq, String kind, String user, String ts, String text,
    String emoji, Boolean on) {

  public static final String EDIT = "edit";
  public static final String DELETE = "delete";
  public static final String REACT = "react";

  public static Change edit(String room, long rev, long seq, String user, String ts, String text) {
    return new Change(room, rev, seq, EDIT, user, ts, text, null, null);
  }

  public static Change delete(String room, long rev, long seq, String user, String ts) {
    return new Change(room, rev, seq, DELETE, user, ts, null, null, null);
  }

  public static Change react(String room, long rev, long seq, String user, String ts, String emoji, boolean on) {
    return new Change(room, rev, seq, REACT, user, ts, null, emoji, on);
  }

  public static Change from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    return new Change(r.string("room"), r.integer("rev"), r.integer("seq"), r.string("kind"), r.string("user"),
        r.string("ts"), r.optString("text"), r.optString("emoji"), r.optBool("on"));
  }
}
