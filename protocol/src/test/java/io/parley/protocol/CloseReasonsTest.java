package io.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The 1001 reason: written short and exact, read back, and anything else read as "no wait". */
class CloseReasonsTest {

  @Test
  void theShutdownReasonIsShortAndReadsBack() {
    String reason = CloseReasons.goingAway(2345);
    assertThat(reason).isEqualTo("server shutting down; retryAfterMs=2345; recover with since");
    assertThat(CloseReasons.retryAfterMs(reason)).hasValue(2345);
    assertThat(CloseReasons.retryAfterMs(CloseReasons.goingAway(0))).hasValue(0);
    String longest = CloseReasons.goingAway(Long.MAX_VALUE);
    assertThat(longest.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(CloseReasons.MAX_BYTES);
  }

  @Test
  void aNegativeWaitIsNotWritten() {
    assertThatThrownBy(() -> CloseReasons.goingAway(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retryAfterMs");
  }

  @ParameterizedTest
  @ValueSource(strings = {"retryAfterMs=7", " retryAfterMs=7 ", "x;retryAfterMs=7", "retryAfterMs=7;y",
      "a; b ;retryAfterMs=7;", "retryAfterMs=000000007"})
  void theFieldIsFoundAnywhereBetweenSeparators(String reason) {
    assertThat(CloseReasons.retryAfterMs(reason)).hasValue(7);
  }

  @Test
  void nineDigitsAreReadAsIsTheCallerCaps() {
    assertThat(CloseReasons.retryAfterMs("retryAfterMs=999999999")).hasValue(999_999_999L);
    assertThat(Math.min(999_999_999L, CloseReasons.MAX_RETRY_AFTER_MS)).isEqualTo(60_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "dropped", "restart", "server shutting down; reconnect and recover with since",
      "retryAfterMs=", "retryAfterMs=-5", "retryAfterMs=+5", "retryAfterMs=5ms", "retryAfterMs=5.0",
      "retryAfterMs=0x10", "retryAfterMs = 5", "retryAfterMs=1 2", "retryAfterMs=9999999999",
      "retryAfterMs=99999999999999999999999", "RETRYAFTERMS=5", "xretryAfterMs=5", "retryAfterMs=٣",
      "retryAfterMs=1; retryAfterMs=2", "retryAfterMs=1;retryAfterMs=x"})
  void anythingElseAnnouncesNoWait(String reason) {
    assertThat(CloseReasons.retryAfterMs(reason)).isEqualTo(OptionalLong.empty());
  }

  @Test
  void nullAndOverLongReasonsAnnounceNoWait() {
    assertThat(CloseReasons.retryAfterMs(null)).isEmpty();
    String padded = "retryAfterMs=5;" + "x".repeat(CloseReasons.MAX_BYTES - 15);
    assertThat(padded.getBytes(StandardCharsets.UTF_8)).hasSize(CloseReasons.MAX_BYTES);
    assertThat(CloseReasons.retryAfterMs(padded)).hasValue(5);
    assertThat(CloseReasons.retryAfterMs(padded + "x")).as("124 bytes: not a legal close reason").isEmpty();
    String multibyte = "retryAfterMs=5;" + "é".repeat(60);
    assertThat(CloseReasons.retryAfterMs(multibyte)).as("counted in UTF-8 bytes, not chars").isEmpty();
  }
}
