package io.parley.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.sql.internal.JdbcUrls;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Settings are checked on construction and never print a password. */
class StoreSettingsTest {

  @Test
  void rejectsWhatTheStoreCannotUse() {
    assertThatThrownBy(
            () -> StoreSettings.postgres("jdbc:mysql://h/db?password=pw", "u", "p", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jdbcUrl must start with jdbc:postgresql: or jdbc:h2:, got 'jdbc:mysql:...'");
    assertThatThrownBy(() -> new StoreSettings(null, null, null, null, null, 3))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("dataDir");
    assertThatThrownBy(() -> StoreSettings.postgres("jdbc:postgresql://h/db", "u", "p", "Bad-Name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema");
    assertThatThrownBy(() -> StoreSettings.embedded(Path.of("x")).withPoolSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize");
    assertThatThrownBy(() -> StoreSettings.embedded(Path.of("x")).withPoolSize(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("poolSize must be 3 to 100 (2 for writes, the rest for reads), got 2");
    assertThatThrownBy(() -> StoreSettings.embedded(Path.of("a;INIT=RUNSCRIPT")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataDir");
  }

  @Test
  void toStringHidesPasswordsAlsoInTheUrl() {
    StoreSettings settings =
        StoreSettings.postgres("jdbc:postgresql://h:5432/db?password=one", "u", "two", "parley");
    assertThat(settings.toString())
        .contains("jdbc:postgresql://h:5432/db,", "password=(hidden)", "schema=parley")
        .doesNotContain("one", "two");
    assertThat(StoreSettings.embedded(Path.of("d")).toString()).contains("password=(none)");
  }

  @Test
  void displayedUrlsDropCredentialsAndSettings() {
    assertThat(JdbcUrls.forDisplay("jdbc:postgresql://u:pw@h:5432/db?sslmode=require"))
        .isEqualTo("jdbc:postgresql://h:5432/db");
    assertThat(JdbcUrls.forDisplay("jdbc:h2:mem:x;PASSWORD=pw")).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void h2SettingsAreAddedUnlessTheUrlHasThem() {
    assertThat(JdbcUrls.withH2Settings("jdbc:h2:mem:x;mode=PostgreSQL"))
        .isEqualTo("jdbc:h2:mem:x;mode=PostgreSQL;DATABASE_TO_LOWER=TRUE"
            + ";DEFAULT_NULL_ORDERING=HIGH");
    assertThat(JdbcUrls.embeddedH2(Path.of("/var/lib/parley")))
        .isEqualTo("jdbc:h2:file:/var/lib/parley/parley;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
            + ";DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
  }
}
