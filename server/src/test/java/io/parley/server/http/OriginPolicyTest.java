package io.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The origin rules on their own: canonical forms, same origin, the list, and {@code *}. */
@Timeout(10)
class OriginPolicyTest {
  private final OriginPolicy sameOnly = OriginPolicy.of(List.of());
  private final OriginPolicy listing = OriginPolicy.of(List.of("https://app.example.com", "http://localhost:3000"));

  @ParameterizedTest
  @CsvSource({
      "https://app.example.com, https://app.example.com",
      "HTTPS://App.Example.COM, https://app.example.com",
      "https://app.example.com:443, https://app.example.com",
      "http://app.example.com:80, http://app.example.com",
      "http://app.example.com:443, http://app.example.com:443",
      "http://localhost:3000, http://localhost:3000",
      "' http://127.0.0.1:8080 ', http://127.0.0.1:8080",
      "'http://[::1]:8080', 'http://[::1]:8080'"})
  void canonicalFormsFoldCaseAndDefaultPorts(String origin, String canonical) {
    assertThat(OriginPolicy.canonical(origin)).isEqualTo(canonical);
  }

  @ParameterizedTest
  @ValueSource(strings = {"app.example.com", "https://app.example.com/", "https://app.example.com/chat",
      "https://app.example.com?x=1", "https://app.example.com#top", "https://user@app.example.com",
      "ftp://app.example.com", "ws://app.example.com", "null", "https://", "https://app example.com", ""})
  void anythingButSchemeHostPortIsNotAnOrigin(String origin) {
    assertThatThrownBy(() -> OriginPolicy.canonical(origin))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected an origin like https://app.example.com")
        .hasMessageContaining("got \"" + origin + "\"");
  }

  @Test
  void noOriginHeaderIsNotABrowserAndIsAllowed() {
    assertThat(sameOnly.allows(null, "http", "chat.example.com")).isTrue();
    assertThat(sameOnly.allows(null, "http", null)).isTrue();
  }

  @Test
  void theRequestsOwnOriginIsAllowed() {
    assertThat(sameOnly.allows("http://chat.example.com:8080", "http", "chat.example.com:8080")).isTrue();
    assertThat(sameOnly.allows("http://chat.example.com", "http", "chat.example.com:80")).isTrue();
    assertThat(sameOnly.allows("https://chat.example.com", "https", "Chat.Example.com")).isTrue();
    assertThat(sameOnly.allows("http://[::1]:8080", "http", "[::1]:8080")).isTrue();
  }

  @Test
  void anotherSchemePortOrHostIsAnotherOrigin() {
    assertThat(sameOnly.allows("https://chat.example.com", "http", "chat.example.com")).isFalse();
    assertThat(sameOnly.allows("http://chat.example.com:8081", "http", "chat.example.com:8080")).isFalse();
    assertThat(sameOnly.allows("http://evil.example.com", "http", "chat.example.com")).isFalse();
    assertThat(sameOnly.allows("http://chat.example.com", "http", null)).isFalse();
    assertThat(sameOnly.allows("http://chat.example.com", "http", "bad host header/")).isFalse();
  }

  @Test
  void listedOriginsAreAllowedInAnyEquivalentSpelling() {
    assertThat(listing.allows("https://app.example.com", "http", "chat.example.com")).isTrue();
    assertThat(listing.allows("https://APP.example.com:443", "http", "chat.example.com")).isTrue();
    assertThat(listing.allows("http://localhost:3000", "http", "chat.example.com")).isTrue();
    assertThat(listing.allows("http://app.example.com", "http", "chat.example.com")).isFalse();
    assertThat(listing.allows("https://app.example.com.evil.net", "http", "chat.example.com")).isFalse();
  }

  @Test
  void malformedAndNullOriginsAreRefusedUnlessAnyIsAllowed() {
    assertThat(listing.allows("null", "http", "chat.example.com")).isFalse();
    assertThat(listing.allows("garbage", "http", "chat.example.com")).isFalse();
    OriginPolicy any = OriginPolicy.of(List.of("*"));
    assertThat(any.allows("null", "http", "chat.example.com")).isTrue();
    assertThat(any.allows("https://evil.example.com", "http", "chat.example.com")).isTrue();
  }

  @Test
  void aBadListEntryIsRefusedWhenThePolicyIsMade() {
    assertThatThrownBy(() -> OriginPolicy.of(List.of("https://ok.example.com", "https://bad.example.com/path")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https://bad.example.com/path");
  }
}
