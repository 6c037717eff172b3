package io.parley.protocol.internal;

import java.math.BigDecimal;

/**
 * A JSON number kept as the exact text that arrived, so {@code 1.0}, {@code 1e2} or a 40-digit id
 * are written back unchanged (Gson's own tree does the same with an internal class we do not
 * reach into).
 */
public final class NumberLiteral extends Number {
  private static final long serialVersionUID = 1L;

  private final String text;

  public NumberLiteral(String text) {
    this.text = text;
  }

  private BigDecimal decimal() {
    return new BigDecimal(text);
  }

  @Override
  public int intValue() {
    return decimal().intValue();
  }

  @Override
  public long longValue() {
    return decimal().longValue();
  }

  @Override
  public float floatValue() {
    return Float.parseFloat(text);
  }

  @Override
  public double doubleValue() {
    return Double.parseDouble(text);
  }

  /** The value as an exact long, or {@code null} when it is fractional or out of range. */
  public Long exactLong() {
    try {
      return decimal().longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NumberLiteral n && n.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
