package io.parley.server.chat;

import io.parley.protocol.ErrorCodes;
import io.parley.protocol.Names;
import io.parley.protocol.RpcError;
import io.parley.protocol.RpcException;

/** The contract's rule for a {@code text}: 1 to {@code max} characters (Unicode code points). */
public record TextRule(int max) {

  public String check(String text) {
    if (text.isEmpty()) {
      throw new RpcException(RpcError.invalidParams("text", "text: expected 1-" + max + " characters, got an empty text"));
    }
    if (!Names.isStorable(text)) {
      throw new RpcException(RpcError.invalidParams("text",
          "text: expected valid Unicode without U+0000, got an unpaired surrogate or a NUL character"));
    }
    int length = text.codePointCount(0, text.length());
    if (length > max) {
      throw new RpcException(ErrorCodes.TOO_LARGE,
          "Too large: text is " + length + " characters, the limit is " + max);
    }
    return text;
  }
}
