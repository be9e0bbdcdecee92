package io.recsys.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.features.RocksDBMemoryBudget;
import io.recsys.features.UserFeatures;
import io.recsys.schemas.DeadLetterHeaders;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import io.recsys.schemas.TrainingExampleRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecsysTopologyTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;

  @TempDir Path stateDir;

  private RocksDBMemoryBudget budget;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> events;
  private TestOutputTopic<String, Recommendation> recommendations;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private RecsysSettings settings;
  private final PipelineMetrics metrics = PipelineMetrics.inMemory();

  @BeforeEach
  void startDriver() {
    startDriver(Map.of(RecsysConfig.TOP_K_CONFIG, "3"));
  }

  private void startDriver(Map<String, String> recsysConfig) {
    Map<String, String> config = new java.util.HashMap<>(recsysConfig);
    // One event per serving batch unless a test says otherwise: outputs appear as each is piped.
    config.putIfAbsent(RecsysConfig.SERVING_BATCH_SIZE_CONFIG, "1");
    settings = RecsysConfig.parse(config);
    budget = new RocksDBMemoryBudget(16L << 20);
    Properties props = DriverConfig.of(settings, stateDir, budget);
    driver = new TopologyTestDriver(RecsysTopology.build(settings, metrics), props);
    var names = settings.topics();
    events =
        driver.createInputTopic(
            names.events(), new ByteArraySerializer(), new ByteArraySerializer());
    recommendations =
        driver.createOutputTopic(
            names.recommendations(),
            new StringDeserializer(),
            SchemaSerdes.recommendation().deserializer());
    deadLetters =
        driver.createOutputTopic(
            names.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
    budget.close();
  }

  private void send(String user, String item, String type, long time) {
    sendRaw(
        user,
        "{\"userId\":\"%s\",\"itemId\":\"%s\",\"eventType\":\"%s\",\"eventTime\":%d}"
            .formatted(user, item, type, time));
  }

  private void sendRaw(String key, String value) {
    events.pipeInput(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  /** Lets each item partition publish its leaderboard and serving pick it up. */
  private void publishPopularity() {
    driver.advanceWallClockTime(Duration.ofMillis(settings.popularity().publishIntervalMs()));
  }

  private static List<String> itemIds(Recommendation recommendation) {
    return recommendation.items().stream().map(ScoredItem::itemId).toList();
  }

  @Test
  void shouldPublishOneRecommendationPerValidEvent() {
    send("u1", "i1", "view", T0);
    send("u2", "i2", "click", T0 + 1);
    send("u1", "i3", "purchase", T0 + 2);

    List<TestRecord<String, Recommendation>> out = recommendations.readRecordsToList();
    assertThat(out).extracting(TestRecord::key).containsExactly("u1", "u2", "u1");
    Recommendation last = out.get(2).value();
    assertThat(last.userId()).isEqualTo("u1");
    assertThat(last.strategy()).isEqualTo(Strategy.POPULARITY);
    assertThat(last.eventTime()).isEqualTo(T0 + 2);
    assertThat(last.schemaVersion()).isEqualTo(Recommendation.SCHEMA_VERSION);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldRecommendMostPopularItemsFirst() {
    for (int user = 0; user < 5; user++) {
      send("u" + user, "hit", "view", T0);
    }
    for (int user = 0; user < 3; user++) {
      send("u" + user, "middle", "view", T0);
    }
    send("u0", "rare", "view", T0);
    publishPopularity();

    send("newcomer", "other", "view", T0 + 1);

    Recommendation last = recommendations.readRecordsToList().get(9).value();
    assertThat(last.userId()).isEqualTo("newcomer");
    assertThat(itemIds(last)).containsExactly("hit", "middle", "rare");
    assertThat(last.items().get(0).score()).isGreaterThan(last.items().get(1).score());
  }

  @Test
  void shouldWeighEventTypes() {
    send("u1", "viewed", "view", T0);
    send("u2", "viewed", "view", T0);
    send("u3", "bought", "purchase", T0);
    publishPopularity();

    send("u4", "x", "view", T0);

    Recommendation last = recommendations.readRecordsToList().get(3).value();
    assertThat(itemIds(last)).startsWith("bought", "viewed");
  }

  @Test
  void shouldPreferRecentPopularityOverOldPopularity() {
    long weekLater = T0 + 7 * 24 * HOUR * 3;
    for (int user = 0; user < 4; user++) {
      send("u" + user, "old-hit", "view", T0);
    }
    for (int user = 0; user < 2; user++) {
      send("v" + user, "new-hit", "view", weekLater);
    }
    publishPopularity();

    send("w", "x", "view", weekLater);

    List<TestRecord<String, Recommendation>> out = recommendations.readRecordsToList();
    assertThat(itemIds(out.get(out.size() - 1).value())).startsWith("new-hit", "old-hit");
  }

  @Test
  void shouldNotRecommendItemsTheUserInteractedWith() {
    for (String item : List.of("a", "b", "c", "d", "e")) {
      send("crowd-" + item, item, "purchase", T0);
    }
    send("crowd-a2", "a", "purchase", T0);
    send("fan", "a", "view", T0);
    send("fan", "c", "view", T0);
    publishPopularity();

    send("fan", "z", "view", T0 + 1);

    List<TestRecord<String, Recommendation>> out = recommendations.readRecordsToList();
    Recommendation last = out.get(out.size() - 1).value();
    assertThat(itemIds(last)).hasSize(3).doesNotContain("a", "c", "z");
  }

  @Test
  void shouldKeepTheUsersLatestItemsInOrder() {
    driver.close();
    budget.close();
    startDriver(Map.of(RecsysConfig.RECENT_ITEMS_CONFIG, "3"));
    send("u", "i1", "view", T0);
    send("u", "i2", "view", T0 + 1);
    send("u", "i2", "click", T0 + 2);
    send("u", "i3", "view", T0 + 3);
    send("u", "i4", "cart", T0 + 4);

    KeyValueStore<String, UserFeatures> store =
        driver.getKeyValueStore(RecsysTopology.USER_FEATURES_STORE);
    UserFeatures features = store.get("u");
    assertThat(features.recentItems()).containsExactly("i2", "i3", "i4");
    assertThat(features.eventTypeCounts())
        .containsEntry("view", 3L)
        .containsEntry("click", 1L)
        .containsEntry("cart", 1L);
    assertThat(features.eventCount()).isEqualTo(5);
    assertThat(features.lastEventTime()).isEqualTo(T0 + 4);
  }

  @Test
  void shouldScoreEachEventAgainstTheListTheUserHeldBefore() {
    for (String item : List.of("a", "a", "a", "b", "b", "c")) {
      send("crowd-" + item + Math.random(), item, "view", T0);
    }
    publishPopularity();
    send("u", "x", "view", T0 + 1); // cold: no earlier list
    send("u", "b", "view", T0 + 2); // held [a, b, c] -> rank 1
    send("u", "y", "view", T0 + 3); // held [a, c, ...] -> miss

    var totals = metrics.prequential().totals().popularity();
    assertThat(totals.coldEvents()).isEqualTo(7);
    assertThat(totals.events()).isEqualTo(2);
    assertThat(totals.hitRate10()).isEqualTo(0.5);
    assertThat(totals.ndcg10()).isCloseTo((1 / (Math.log(3) / Math.log(2))) / 2, within(1e-12));
    assertThat(metrics.prequential().totals().model().events()).isZero();
  }

  @Test
  void shouldHoldTheSameListsWhetherAUsersEventsShareABatchOrNot() {
    // Given a popularity ranking a > b > c, and serving batches of up to 10 events
    driver.close();
    budget.close();
    startDriver(Map.of(RecsysConfig.SERVING_BATCH_SIZE_CONFIG, "10"));
    for (String item : List.of("a", "a", "a", "b", "b", "c")) {
      send("crowd-" + item + Math.random(), item, "view", T0);
    }
    driver.advanceWallClockTime(Duration.ofMillis(settings.serving().batchWaitMs()));
    publishPopularity();
    recommendations.readRecordsToList();

    // When a user's three events land in one batch (a backlog, a fast replay)
    send("u", "x", "view", T0 + 1);
    send("u", "a", "view", T0 + 2);
    send("u", "b", "view", T0 + 3);
    driver.advanceWallClockTime(Duration.ofMillis(settings.serving().batchWaitMs()));

    // Then each list is the one the user held right after its event: "a" and "b" were not seen
    // yet after "x", so the next events are hits, as they would be with one event per batch
    List<Recommendation> out =
        recommendations.readRecordsToList().stream().map(TestRecord::value).toList();
    assertThat(out).hasSize(3);
    assertThat(itemIds(out.get(0))).startsWith("a", "b");
    assertThat(itemIds(out.get(1))).startsWith("b").doesNotContain("a");
    assertThat(itemIds(out.get(2))).doesNotContain("a", "b");
    var totals = metrics.prequential().totals().popularity();
    assertThat(totals.events()).isEqualTo(2);
    assertThat(totals.hitRate10()).isEqualTo(1.0);
  }

  @Test
  void shouldHoldEventsUntilTheServingBatchIsFullOrItsWaitIsOver() {
    driver.close();
    budget.close();
    startDriver(Map.of(RecsysConfig.SERVING_BATCH_SIZE_CONFIG, "3"));
    send("u1", "i1", "view", T0);
    send("u2", "i2", "view", T0);
    assertThat(recommendations.isEmpty()).isTrue();

    send("u3", "i3", "view", T0);
    assertThat(recommendations.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("u1", "u2", "u3");

    send("u4", "i4", "view", T0);
    driver.advanceWallClockTime(Duration.ofMillis(settings.serving().batchWaitMs()));
    assertThat(recommendations.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("u4");
    KeyValueStore<Long, ?> pending = driver.getKeyValueStore(RecsysTopology.PENDING_STORE);
    assertThat(pending.approximateNumEntries()).isZero();
  }

  @Test
  void shouldEmitATrainingExampleWhenTheUserMovesToANewItem() {
    TestOutputTopic<String, TrainingExampleRecord> examples =
        driver.createOutputTopic(
            settings.topics().trainingExamples(),
            new StringDeserializer(),
            SchemaSerdes.trainingExample().deserializer());
    send("u", "i1", "view", T0);
    send("u", "i2", "view", T0 + 1);
    send("u", "i2", "purchase", T0 + 2);
    send("u", "i3", "click", T0 + 3);

    List<TrainingExampleRecord> out = examples.readValuesToList();
    assertThat(out)
        .extracting(TrainingExampleRecord::sequence, TrainingExampleRecord::target)
        .containsExactly(
            tuple(List.of(), "i1"), tuple(List.of("i1"), "i2"), tuple(List.of("i1", "i2"), "i3"));
    assertThat(out.get(2).weight()).isEqualTo(settings.ingest().weightOf("click"));
    assertThat(out.get(2).eventTime()).isEqualTo(T0 + 3);
  }

  @Test
  void shouldDeadLetterAnEventTimeInSecondsSayingSo() {
    long seconds = T0 / 1000;
    send("u", "i1", "view", seconds);
    send("u", "i1", "view", T0);

    List<TestRecord<byte[], byte[]>> rejected = deadLetters.readRecordsToList();
    assertThat(rejected).hasSize(1);
    assertThat(DeadLetterHeaders.read(rejected.get(0).headers(), DeadLetterHeaders.FIELD))
        .isEqualTo("eventTime");
    assertThat(DeadLetterHeaders.read(rejected.get(0).headers(), DeadLetterHeaders.ERROR))
        .contains("looks like seconds since the epoch, expected milliseconds");
    assertThat(recommendations.readRecordsToList()).hasSize(1);
  }

  @Test
  void shouldSendEachKindOfBadRecordToDeadLettersWithReason() {
    String valid = "{\"userId\":\"u\",\"itemId\":\"i\",\"eventType\":\"view\",\"eventTime\":%d}";
    sendRaw("u", "{not json");
    sendRaw("u", "{\"userId\":\"u\",\"eventType\":\"view\",\"eventTime\":1}");
    sendRaw("u", "{\"userId\":\"u\",\"itemId\":\"i\",\"eventType\":\"view\",\"eventTime\":\"x\"}");
    sendRaw("u", "{\"userId\":\"u\",\"itemId\":\"i\",\"eventType\":\"teleport\",\"eventTime\":1}");
    sendRaw(null, valid.formatted(T0));
    sendRaw("u", "{\"userId\":\"u\",\"itemId\":\"" + "x".repeat(70_000) + "\"}");
    sendRaw("u", "[1,2]");
    sendRaw("u", null);
    send("u", "fine", "view", T0);

    List<TestRecord<byte[], byte[]>> rejected = deadLetters.readRecordsToList();
    assertThat(rejected)
        .extracting(record -> DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.FIELD))
        .containsExactly("$", "itemId", "eventTime", "eventType", "key", "$", "$", "$");
    assertThat(DeadLetterHeaders.read(rejected.get(2).headers(), DeadLetterHeaders.ERROR))
        .contains("eventTime", "string 'x'");
    assertThat(new String(rejected.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    for (int offset = 0; offset < rejected.size(); offset++) {
      var headers = rejected.get(offset).headers();
      assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_TOPIC))
          .isEqualTo(settings.topics().events());
      assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_PARTITION))
          .isEqualTo("0");
      assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_OFFSET))
          .isEqualTo(Integer.toString(offset));
    }
    assertThat(recommendations.readRecordsToList()).hasSize(1);
    assertThat(metrics.deadLetters()).isEqualTo(8);
    assertThat(metrics.eventsAccepted()).isEqualTo(1);
    assertThat(metrics.recommendations()).isEqualTo(1);
  }
}
