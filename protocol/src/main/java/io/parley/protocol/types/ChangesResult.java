package io.parley.protocol.types;

import com.google.gson.JsonElement;
import io.parley.protocol.internal.FieldReader;
import java.util.List;

/**
 * Result of {@code chat.changes} (contract 1.1): changes ascending by rev, without gaps.
 *
 * @param truncated true when the page's byte cap cut it: page on with {@code after} = its last rev
 */
public record ChangesResult(List<Change> changes, boolean truncated) {

  public static ChangesResult from(JsonElement json) {
    FieldReader r = FieldReader.of(json);
    Boolean truncated = r.optBool("truncated");
    return new ChangesResult(r.list("changes", Change::from), truncated != null && truncated);
  }
}
