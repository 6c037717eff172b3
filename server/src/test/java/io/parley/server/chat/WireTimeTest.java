package io.parley.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WireTimeTest {
  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void writesTheContractsShapeWithThreeFractionDigitsEvenOnAWholeSecond() {
    assertThat(WireTime.format(Instant.parse("2026-11-22T10:15:30.123456789Z"))).isEqualTo("2026-11-22T10:15:30.123Z");
    assertThat(WireTime.format(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
    assertThat(WireTime.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(WireTime.format(Instant.parse("1969-12-31T23:59:59.999Z"))).isEqualTo("1969-12-31T23:59:59.999Z");
    assertThat(WireTime.format(Instant.parse("2024-02-29T23:59:59.001Z"))).isEqualTo("2024-02-29T23:59:59.001Z");
  }

  @Test
  void agreesWithTheFormatterInsideAndOutsideTheFourDigitYears() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-40_000_000_000L, 260_000_000_000L),
          random.nextInt(1_000_000_000));
      assertThat(WireTime.format(instant)).as("%s", instant).isEqualTo(REFERENCE.format(instant));
    }
    for (String edge : new String[] {"1000-01-01T00:00:00Z", "0999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z",
        "+10000-01-01T00:00:00Z"}) {
      Instant instant = Instant.parse(edge);
      assertThat(WireTime.format(instant)).as(edge).isEqualTo(REFERENCE.format(instant));
    }
  }

  @Test
  void readsWhatItWrites() {
    Instant instant = Instant.parse("2026-11-23T15:40:00.250Z");
    assertThat(WireTime.parse(WireTime.format(instant))).isEqualTo(instant);
  }
}
