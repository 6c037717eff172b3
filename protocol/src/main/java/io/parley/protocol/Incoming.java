package io.parley.protocol;

import java.util.List;

/**
 * What one frame or HTTP body decoded to. A batch keeps per-member verdicts so each invalid
 * member earns its own error; a text that is not JSON, or an empty batch, earns exactly one
 * response that is not wrapped in an array.
 */
public sealed interface Incoming {

  /** A single object. */
  record Single(Entry entry) implements Incoming {}

  /** A non-empty array. */
  record Batch(List<Entry> entries) implements Incoming {
    public Batch {
      entries = List.copyOf(entries);
    }
  }

  /** Refused as a whole: parse error, empty batch, or a structure the codec does not accept. */
  record Rejected(Response response) implements Incoming {}
}
