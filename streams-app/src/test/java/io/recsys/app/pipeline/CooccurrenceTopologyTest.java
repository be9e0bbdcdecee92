package io.recsys.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.pipeline.serving.Strategies;
import io.recsys.app.pipeline.state.IdPairKey;
import io.recsys.features.FeatureSerdes;
import io.recsys.features.ForwardDecay;
import io.recsys.features.ItemNeighbours;
import io.recsys.features.ItemScore;
import io.recsys.features.RocksDBMemoryBudget;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Co-occurrence kept by the pipeline, and the choice of strategy by live evidence. */
class CooccurrenceTopologyTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long TEN_YEARS = 10L * 365 * 24 * 3600 * 1000;

  @TempDir Path stateDir;

  private RocksDBMemoryBudget budget;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> events;
  private TestOutputTopic<String, Recommendation> recommendations;
  private TestOutputTopic<String, ItemNeighbours> neighbours;
  private RecsysSettings settings;
  private Strategies strategies;
  private final PipelineMetrics metrics = PipelineMetrics.inMemory();
  private long clock = T0;

  private void startDriver(Map<String, String> overrides) {
    Map<String, String> config = new HashMap<>();
    config.put(RecsysConfig.TOP_K_CONFIG, "3");
    config.put(RecsysConfig.SERVING_BATCH_SIZE_CONFIG, "1");
    config.put(RecsysConfig.COOCCURRENCE_WINDOW_CONFIG, "2");
    config.put(RecsysConfig.COOCCURRENCE_DISTANCE_DECAY_CONFIG, "0.5");
    config.put(RecsysConfig.COOCCURRENCE_BACKWARD_WEIGHT_CONFIG, "0.5");
    config.put(RecsysConfig.COOCCURRENCE_HALF_LIFE_CONFIG, Long.toString(TEN_YEARS));
    config.put(RecsysConfig.SERVING_EXPLORATION_CONFIG, "0");
    config.putAll(overrides);
    settings = RecsysConfig.parse(config);
    budget = new RocksDBMemoryBudget(16L << 20);
    Properties props = DriverConfig.of(settings, stateDir, budget);
    strategies = Strategies.of(settings);
    driver =
        new TopologyTestDriver(
            RecsysTopology.build(settings, metrics, new CurrentModel(), strategies), props);
    events =
        driver.createInputTopic(
            settings.topics().events(), new ByteArraySerializer(), new ByteArraySerializer());
    recommendations =
        driver.createOutputTopic(
            settings.topics().recommendations(),
            new StringDeserializer(),
            SchemaSerdes.recommendation().deserializer());
    neighbours =
        driver.createOutputTopic(
            settings.topics().itemNeighbours(),
            new StringDeserializer(),
            FeatureSerdes.itemNeighbours().deserializer());
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
      budget.close();
    }
  }

  private void view(String user, String item) {
    clock += 1000;
    events.pipeInput(
        user.getBytes(StandardCharsets.UTF_8),
        "{\"userId\":\"%s\",\"itemId\":\"%s\",\"eventType\":\"view\",\"eventTime\":%d}"
            .formatted(user, item, clock)
            .getBytes(StandardCharsets.UTF_8));
  }

  /** Lets the item partitions publish what changed (neighbours and popularity). */
  private void publish() {
    driver.advanceWallClockTime(
        Duration.ofMillis(
            Math.max(
                settings.cooccurrence().publishIntervalMs(),
                settings.popularity().publishIntervalMs())));
  }

  private double weight(String item, String neighbour) {
    KeyValueStore<String, Double> store =
        driver.getKeyValueStore(RecsysTopology.ITEM_COOCCURRENCE_STORE);
    return ForwardDecay.valueAt(
        store.get(IdPairKey.of(item, neighbour)), clock, settings.cooccurrence().halfLifeMs());
  }

  @Test
  void shouldCountPairsPerItemAndPublishEachChangedItemsStrongestNeighbours() {
    startDriver(Map.of());
    view("u1", "a");
    view("u1", "b");
    view("u1", "c");
    view("u2", "a");
    view("u2", "b");
    view("u3", "a");
    view("u3", "c");

    // Forward pairs weigh 1 at one step and 0.5 at two; backward pairs half of that.
    assertThat(weight("a", "b")).isCloseTo(2.0, within(1e-6));
    assertThat(weight("a", "c")).isCloseTo(1.0 + 0.5, within(1e-6));
    assertThat(weight("b", "a")).isCloseTo(0.5 + 0.5, within(1e-6));
    assertThat(weight("b", "c")).isCloseTo(1.0, within(1e-6));
    assertThat(weight("c", "a")).isCloseTo(0.25 + 0.5, within(1e-6));
    assertThat(weight("c", "b")).isCloseTo(0.5, within(1e-6));
    assertThat(neighbours.isEmpty()).isTrue();

    publish();

    Map<String, ItemNeighbours> published = neighbours.readKeyValuesToMap();
    assertThat(published).containsOnlyKeys("a", "b", "c");
    assertThat(published.get("a").neighbours())
        .extracting(ItemScore::itemId)
        .containsExactly("b", "c");
    assertThat(published.get("c").neighbours())
        .extracting(ItemScore::itemId)
        .containsExactly("a", "b");
    publish();
    assertThat(neighbours.isEmpty()).as("nothing changed since").isTrue();
    view("u4", "b");
    view("u4", "c");
    publish();
    assertThat(neighbours.readKeyValuesToMap()).containsOnlyKeys("b", "c");
  }

  @Test
  void shouldKeepAtMostTheCapacityOfPairsPerItemDroppingTheWeakest() {
    startDriver(Map.of(RecsysConfig.COOCCURRENCE_CAPACITY_CONFIG, "10"));
    // Twelve users go from "hub" to a neighbour of their own; n0 is chosen by the most users.
    for (int u = 0; u < 12; u++) {
      view("u" + u, "hub");
      view("u" + u, "n" + u);
    }
    view("u99", "hub");
    view("u99", "n0");

    publish();

    KeyValueStore<String, Double> store =
        driver.getKeyValueStore(RecsysTopology.ITEM_COOCCURRENCE_STORE);
    assertThat(storedPairs("hub")).isEqualTo(10);
    assertThat(store.get(IdPairKey.of("hub", "n0"))).isNotNull();
    assertThat(neighbours.readKeyValuesToMap().get("hub").neighbours().get(0).itemId())
        .isEqualTo("n0");
  }

  @Test
  void shouldDropThePairsOfItemsNotUpdatedForTheExpiryAndTombstoneTheirNeighbours() {
    startDriver(Map.of(RecsysConfig.COOCCURRENCE_ITEM_EXPIRY_CONFIG, "60000"));
    view("u1", "old1");
    view("u1", "old2");
    publish();
    neighbours.readKeyValuesToMap();
    // 80 s of event time later (one view a second), only "new1" and "new2" were updated since.
    for (int i = 0; i < 40; i++) {
      view("u2", "new1");
      view("u2", "new2");
    }
    assertThat(weight("old1", "old2")).isPositive();

    driver.advanceWallClockTime(Duration.ofMinutes(1));

    assertThat(storedPairs("old1") + storedPairs("old2")).isZero();
    assertThat(storedPairs("new1")).isPositive();
    assertThat(storedPairs("new2")).isPositive();
    Map<String, ItemNeighbours> published = new HashMap<>();
    neighbours.readRecordsToList().forEach(r -> published.put(r.key(), r.value()));
    assertThat(published).containsEntry("old1", null).containsEntry("old2", null);
    assertThat(published.get("new1")).isNotNull();
    assertThat(metrics.cooccurrenceItemsExpired()).isEqualTo(2);

    // An expired item that comes back starts a new row.
    view("u3", "new1");
    view("u3", "old1");
    assertThat(storedPairs("old1")).isEqualTo(1);
  }

  @Test
  void shouldKeepEveryItemWithoutAnExpiry() {
    startDriver(Map.of(RecsysConfig.COOCCURRENCE_ITEM_EXPIRY_CONFIG, "0"));
    view("u1", "old1");
    view("u1", "old2");
    clock += TEN_YEARS / 10;
    view("u2", "new1");
    view("u2", "new2");

    driver.advanceWallClockTime(Duration.ofMinutes(2));

    assertThat(storedPairs("old1")).isEqualTo(1);
    assertThat(metrics.cooccurrenceItemsExpired()).isZero();
  }

  private long storedPairs(String item) {
    KeyValueStore<String, Double> store =
        driver.getKeyValueStore(RecsysTopology.ITEM_COOCCURRENCE_STORE);
    long count = 0;
    try (var row =
        store.prefixScan(
            IdPairKey.of(item, ""), new org.apache.kafka.common.serialization.StringSerializer())) {
      while (row.hasNext()) {
        row.next();
        count++;
      }
    }
    return count;
  }

  @Test
  void shouldRecommendTheNeighboursOfTheUsersNewestItems() {
    startDriver(Map.of(RecsysConfig.SERVING_STRATEGY_CONFIG, "cooccurrence"));
    view("u1", "a");
    view("u1", "b");
    view("u1", "c");
    view("u2", "a");
    view("u2", "b");
    publish();
    recommendations.readRecordsToList();

    view("u9", "a");

    Recommendation list = recommendations.readValue();
    assertThat(list.strategy()).isEqualTo(Strategy.COOCCURRENCE);
    assertThat(list.items()).extracting(ScoredItem::itemId).containsExactly("b", "c");
    assertThat(list.reason()).isEqualTo("often chosen with a");
    assertThat(list.modelVersion()).isEqualTo("cooccurrence");
  }

  @Test
  void shouldServeCooccurrenceWhereItWinsOnTheStream() {
    startDriver(Map.of(RecsysConfig.SERVING_EVIDENCE_MIN_EVENTS_CONFIG, "10"));
    // Popularity is led by items that no one walking the chain goes to next.
    for (int u = 0; u < 30; u++) {
      view("fan" + u, "hit" + (u % 3));
    }
    publish();
    // Every walker goes s1, s2, s3, s4: once the pairs are known, the next step is predictable.
    for (int u = 0; u < 40; u++) {
      for (int step = 1; step <= 4; step++) {
        view("walker" + u, "s" + step);
      }
      publish();
    }
    List<TestRecord<String, Recommendation>> out = recommendations.readRecordsToList();

    var totals = metrics.prequential().totals();
    assertThat(totals.cooccurrence().hitRate10()).isGreaterThan(0.6);
    assertThat(totals.popularity().hitRate10()).isLessThan(totals.cooccurrence().hitRate10());
    double[] cooccurrence = strategies.selector().evidence().get(Strategy.COOCCURRENCE);
    double[] popularity = strategies.selector().evidence().get(Strategy.POPULARITY);
    assertThat(cooccurrence[1]).isGreaterThan(popularity[1]);
    // The last walker's lists after the first step come from co-occurrence (or the blend, led
    // by it), and they hold the walker's next item.
    List<Recommendation> last =
        out.subList(out.size() - 4, out.size() - 1).stream().map(TestRecord::value).toList();
    assertThat(last)
        .allSatisfy(
            list -> assertThat(list.strategy()).isIn(Strategy.COOCCURRENCE, Strategy.BLEND));
    assertThat(last.get(0).items()).extracting(ScoredItem::itemId).contains("s2");
    assertThat(totals.served().hitRate10()).isGreaterThan(totals.popularity().hitRate10());
  }

  @Test
  void shouldKeepNoCooccurrenceWhenItIsOff() {
    startDriver(Map.of(RecsysConfig.COOCCURRENCE_ENABLED_CONFIG, "false"));
    view("u1", "a");
    view("u1", "b");
    publish();

    assertThat(neighbours.isEmpty()).isTrue();
    assertThat(recommendations.readValuesToList())
        .extracting(Recommendation::strategy)
        .containsOnly(Strategy.POPULARITY);
  }
}
