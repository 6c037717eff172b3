package io.parley.sql;

import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs every store contract against one database: a subclass says how to reach it and which
 * contracts it implements (all of them). Each test gets a freshly opened store on empty data.
 */
abstract class AbstractStoreTest implements StoreFixture {

  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private MessageStore store;

  /** Settings of the database under test; the same for every call within one test. */
  abstract StoreSettings settings();

  /** Runs before each test opens its store; a database that may be absent skips here. */
  void assumeAvailable() {}

  @BeforeEach
  void openStore() {
    assumeAvailable();
    store = Stores.open(settings(), CLOCK);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @Override
  public MessageStore store() {
    return store;
  }

  @Override
  public MessageStore reopen() {
    return reopen(CLOCK);
  }

  @Override
  public MessageStore reopen(Clock clock) {
    store.close();
    store = Stores.open(settings(), clock);
    return store;
  }
}
