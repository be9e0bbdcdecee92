package io.recsys.app.pipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.pipeline.state.IdPairKey;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SeenItems} over a real RocksDB store. */
class SeenItemsTest {
  @TempDir Path stateDir;

  private KeyValueStore<String, Long> store;

  @BeforeEach
  void openStore() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "seen-items-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    MockProcessorContext<Object, Object> context =
        new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
    store =
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore("user-seen-items"), Serdes.String(), Serdes.Long())
            .withLoggingDisabled()
            .withCachingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private void seen(String user, String item) {
    store.put(IdPairKey.of(user, item), 1L);
  }

  @Test
  void shouldReadOnlyTheUsersOwnItemsNotThoseOfAUserWhoseIdExtendsIt() {
    seen("ab", "x");
    seen("ab", "y");
    seen("abc", "z");
    seen("a", "w");

    SeenItems items = new SeenItems(store, 100);

    assertThat(items.of("ab")).containsExactlyInAnyOrder("x", "y");
    assertThat(items.of("abc")).containsExactly("z");
    assertThat(items.of("nobody")).isEmpty();
  }

  @Test
  void shouldKeepAHeldUserUpToDateFromAddsWithoutReadingAgain() {
    seen("u", "a");
    SeenItems items = new SeenItems(store, 100);
    assertThat(items.of("u")).containsExactly("a");

    seen("u", "b");
    items.add("u", "b");
    items.add("u", "b");

    assertThat(items.of("u")).containsExactlyInAnyOrder("a", "b");
    assertThat(items.loads()).isEqualTo(1);
    assertThat(items.size()).isEqualTo(2);
  }

  @Test
  void shouldIgnoreAddsForUsersNotHeldAndReadTheStoreInstead() {
    SeenItems items = new SeenItems(store, 100);
    seen("u", "a");
    items.add("u", "a");

    assertThat(items.size()).isZero();
    assertThat(items.of("u")).containsExactly("a");
  }

  @Test
  void shouldEvictTheLeastRecentlyUsedUserWhenItHoldsTooManyItems() {
    seen("old", "a");
    seen("old", "b");
    seen("used", "c");
    seen("new", "d");
    seen("new", "e");
    SeenItems items = new SeenItems(store, 4);
    items.of("old");
    items.of("used");
    items.of("old");
    items.of("new"); // 5 items: "used" is the least recently used

    assertThat(items.size()).isEqualTo(4);
    items.of("old");
    items.of("new");
    assertThat(items.loads()).isEqualTo(3);
    assertThat(items.of("used")).containsExactly("c");
    assertThat(items.loads()).isEqualTo(4);
  }

  @Test
  void shouldNotHoldAUserWithMoreItemsThanTheBoundButStillAnswer() {
    for (int i = 0; i < 5; i++) {
      seen("heavy", "i" + i);
    }
    SeenItems items = new SeenItems(store, 4);

    assertThat(items.of("heavy")).hasSize(5);
    assertThat(items.of("heavy")).hasSize(5);
    assertThat(items.loads()).isEqualTo(2);
    assertThat(items.size()).isZero();
  }
}
