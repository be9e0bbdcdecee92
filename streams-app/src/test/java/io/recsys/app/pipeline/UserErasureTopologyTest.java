package io.recsys.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.UserPseudonyms;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.app.prequential.HeldLists;
import io.recsys.app.testing.TestModels;
import io.recsys.features.RocksDBMemoryBudget;
import io.recsys.features.UserFeatures;
import io.recsys.model.NextItemModel;
import io.recsys.schemas.DeadLetterHeaders;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.TrainingExampleRecord;
import io.recsys.schemas.UserDeletion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deletion on {@code user-deletions} through the whole topology, with a model loaded so that
 * serving carries LSTM states: every store, output and cache of the user is cleared, other users
 * are untouched, and the user's later events start a new history.
 */
class UserErasureTopologyTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int ITEMS = 12;

  @TempDir Path stateDir;

  private RocksDBMemoryBudget budget;
  private TopologyTestDriver driver;
  private RecsysSettings settings;
  private final PipelineMetrics metrics = PipelineMetrics.inMemory();
  private TestInputTopic<byte[], byte[]> events;
  private TestInputTopic<byte[], byte[]> deletions;
  private TestOutputTopic<String, Recommendation> recommendations;
  private TestOutputTopic<String, TrainingExampleRecord> examples;
  private TestOutputTopic<String, DeletionReport> reports;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void startDriver() throws Exception {
    startDriver(Map.of());
  }

  private void startDriver(Map<String, String> extra) throws Exception {
    Map<String, String> config = new HashMap<>(extra);
    config.put(RecsysConfig.SERVING_BATCH_SIZE_CONFIG, "100");
    config.put(RecsysConfig.MODEL_SEQUENCE_LENGTH_CONFIG, "5");
    config.put(RecsysConfig.SERVING_MIN_HISTORY_CONFIG, "1");
    settings = RecsysConfig.parse(config);
    budget = new RocksDBMemoryBudget(16L << 20);
    Properties props = DriverConfig.of(settings, stateDir, budget);
    CurrentModel model = new CurrentModel();
    Path checkpoint = stateDir.resolve("m.zip");
    if (!java.nio.file.Files.exists(checkpoint)) {
      TestModels.trainCycle(checkpoint, 5, ITEMS, 1, 20);
    }
    model.swap(new ModelVersion("m-1", T0, T0), NextItemModel.load(checkpoint));
    driver = new TopologyTestDriver(RecsysTopology.build(settings, metrics, model), props);
    var names = settings.topics();
    events =
        driver.createInputTopic(
            names.events(), new ByteArraySerializer(), new ByteArraySerializer());
    deletions =
        driver.createInputTopic(
            names.userDeletions(), new ByteArraySerializer(), new ByteArraySerializer());
    recommendations =
        driver.createOutputTopic(
            names.recommendations(),
            new StringDeserializer(),
            SchemaSerdes.recommendation().deserializer());
    examples =
        driver.createOutputTopic(
            names.trainingExamples(),
            new StringDeserializer(),
            SchemaSerdes.trainingExample().deserializer());
    reports =
        driver.createOutputTopic(
            names.deletionReports(),
            new StringDeserializer(),
            SchemaSerdes.deletionReport().deserializer());
    deadLetters =
        driver.createOutputTopic(
            names.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
    budget.close();
  }

  private void send(String user, int item, long time) {
    String json =
        "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
            .formatted(user, item, time);
    events.pipeInput(utf8(user), utf8(json), time);
  }

  private void forget(String user, String value, long time) {
    deletions.pipeInput(utf8(user), value == null ? null : utf8(value), time);
  }

  /** Publishes whatever waits in the serving batch. */
  private void flush() {
    driver.advanceWallClockTime(java.time.Duration.ofMillis(settings.serving().batchWaitMs() + 1));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private <V> List<String> keysOf(String store, String user) {
    KeyValueStore<String, V> kv = driver.getKeyValueStore(store);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, V> all = kv.all()) {
      all.forEachRemaining(
          (KeyValue<String, V> e) -> {
            if (e.key.equals(user) || e.key.startsWith(user + '\u0000')) {
              keys.add(e.key);
            }
          });
    }
    return keys;
  }

  @Test
  void shouldForgetTheUserEverywhereAndLeaveOthersAlone() {
    // Given two users with histories, lists and carried states
    for (int step = 0; step < 4; step++) {
      send("alice", step, T0 + step);
      send("bob", step + 3, T0 + step);
    }
    flush();
    assertThat(recommendations.readRecordsToList())
        .extracting(TestRecord::key)
        .contains("alice", "bob");
    assertThat(examples.readKeyValuesToList()).extracting(kv -> kv.key).contains("alice", "bob");
    assertThat(keysOf(RecsysTopology.USER_SEEN_STORE, "alice")).hasSize(4);

    // When one event of alice still waits in the batch, then alice asks to be forgotten
    send("alice", 7, T0 + 10);
    forget("alice", "{\"requestId\":\"req-1\",\"requestedAt\":" + (T0 + 11) + "}", T0 + 11);
    flush();

    // Then no store holds anything of alice, and bob keeps everything
    for (String store :
        List.of(
            RecsysTopology.USER_FEATURES_STORE,
            RecsysTopology.USER_SEEN_STORE,
            RecsysTopology.USER_HELD_LISTS_STORE)) {
      assertThat(keysOf(store, "alice")).as(store).isEmpty();
      assertThat(keysOf(store, "bob")).as(store).isNotEmpty();
    }
    KeyValueStore<Long, Object> pending = driver.getKeyValueStore(RecsysTopology.PENDING_STORE);
    assertThat(pending.approximateNumEntries()).isZero();
    // The waiting event was dropped with the user: the last word on alice is a tombstone
    List<TestRecord<String, Recommendation>> out = recommendations.readRecordsToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).key()).isEqualTo("alice");
    assertThat(out.get(0).value()).isNull();
    // The trainer learns where alice's examples end: after the waiting event's example
    List<TestRecord<String, TrainingExampleRecord>> marks = examples.readRecordsToList();
    assertThat(marks).extracting(TestRecord::key).containsExactly("alice", "alice");
    assertThat(marks.get(0).value().target()).isEqualTo("item-7");
    assertThat(marks.get(1).value()).isNull();
    Header header = marks.get(1).headers().lastHeader(UserDeletion.REQUEST_HEADER);
    assertThat(new String(header.value(), StandardCharsets.UTF_8)).isEqualTo("req-1");
    // One report, naming the request and what each store lost, never the user
    List<TestRecord<String, DeletionReport>> confirmations = reports.readRecordsToList();
    assertThat(confirmations).hasSize(1);
    DeletionReport report = confirmations.get(0).value();
    assertThat(confirmations.get(0).key()).isEqualTo("req-1");
    assertThat(report.component()).isEqualTo(DeletionReport.PIPELINE);
    assertThat(report.removed())
        .containsEntry(RecsysTopology.USER_FEATURES_STORE, 1L)
        .containsEntry(RecsysTopology.USER_SEEN_STORE, 5L)
        .containsEntry(RecsysTopology.USER_HELD_LISTS_STORE, 1L)
        .containsEntry(RecsysTopology.PENDING_STORE, 1L)
        .containsEntry("serving-carried-states", 1L)
        .containsEntry("recommendations-tombstones", 1L)
        .containsEntry("training-examples-tombstones", 1L);
    assertThat(SchemaSerdes.deletionReport().serializer().serialize("t", report))
        .asString(StandardCharsets.UTF_8)
        .doesNotContain("alice");
    assertThat(metrics.usersErased()).isEqualTo(1);
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldStartAFreshHistoryForEventsAfterTheDeletion() {
    send("alice", 1, T0);
    send("alice", 2, T0 + 1);
    flush();
    forget("alice", null, T0 + 2);
    send("alice", 5, T0 + 3);
    flush();

    KeyValueStore<String, UserFeatures> features =
        driver.getKeyValueStore(RecsysTopology.USER_FEATURES_STORE);
    assertThat(features.get("alice").recentItems()).containsExactly("item-5");
    assertThat(features.get("alice").eventCount()).isEqualTo(1);
    assertThat(keysOf(RecsysTopology.USER_SEEN_STORE, "alice")).hasSize(1);
    List<TestRecord<String, Recommendation>> out = recommendations.readRecordsToList();
    Recommendation fresh = out.get(out.size() - 1).value();
    assertThat(fresh.userId()).isEqualTo("alice");
    // Items of the forgotten history are no longer filtered as seen
    assertThat(fresh.items()).extracting(i -> i.itemId()).doesNotContain("item-5");
    // A request without a value is named by where it sits on the topic
    DeletionReport report = reports.readValue();
    assertThat(report.requestId()).startsWith(settings.topics().userDeletions() + "-0@");
  }

  @Test
  void shouldConfirmADeletionOfAnUnknownUserWithNothingRemoved() {
    send("bob", 1, T0);
    flush();
    recommendations.readRecordsToList();

    forget("nobody", "{\"requestId\":\"req-2\"}", T0 + 1);
    forget("nobody", "{\"requestId\":\"req-3\"}", T0 + 2);
    flush();

    List<DeletionReport> confirmations = reports.readValuesToList();
    assertThat(confirmations)
        .extracting(DeletionReport::requestId)
        .containsExactly("req-2", "req-3");
    assertThat(confirmations.get(0).removed())
        .containsEntry(RecsysTopology.USER_FEATURES_STORE, 0L)
        .containsEntry(RecsysTopology.USER_SEEN_STORE, 0L)
        .containsEntry(RecsysTopology.USER_HELD_LISTS_STORE, 0L);
    assertThat(keysOf(RecsysTopology.USER_FEATURES_STORE, "bob")).containsExactly("bob");
  }

  @Test
  void shouldDeadLetterAMalformedDeletionNamingTheField() {
    forget("alice", "{\"requestId\":42}", T0);
    forget("alice", "not json", T0);
    deletions.pipeInput(null, utf8("{}"), T0);

    List<TestRecord<byte[], byte[]>> rejected = deadLetters.readRecordsToList();
    assertThat(rejected).hasSize(3);
    assertThat(rejected)
        .extracting(r -> DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.FIELD))
        .containsExactly("requestId", "$", "key");
    assertThat(
            rejected.stream()
                .map(r -> DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                .distinct())
        .containsExactly(settings.topics().userDeletions());
    assertThat(reports.isEmpty()).isTrue();
  }

  @Test
  void shouldDropTheHeldListsAtOnceAndEndWithATombstone() {
    send("alice", 1, T0);
    flush();
    KeyValueStore<String, HeldLists> held =
        driver.getKeyValueStore(RecsysTopology.USER_HELD_LISTS_STORE);
    assertThat(held.get("alice")).isNotNull();
    forget("alice", null, T0 + 1);
    assertThat(held.get("alice")).isNull();
    assertThat(recommendations.readRecordsToList()).extracting(TestRecord::value).last().isNull();
  }

  @Test
  void shouldKeepOnlyPseudonymsAndForgetByTheRawId() throws Exception {
    closeDriver();
    startDriver(Map.of(RecsysConfig.USER_ID_KEY_CONFIG, "s3cret"));
    String alice = UserPseudonyms.keyed("s3cret").of("alice");
    send("alice", 1, T0);
    send("alice", 2, T0 + 1);
    send("bob", 3, T0 + 2);
    flush();

    // Stores and outputs name users by their pseudonyms only
    assertThat(keysOf(RecsysTopology.USER_FEATURES_STORE, "alice")).isEmpty();
    assertThat(keysOf(RecsysTopology.USER_FEATURES_STORE, alice)).containsExactly(alice);
    assertThat(keysOf(RecsysTopology.USER_SEEN_STORE, alice)).hasSize(2);
    List<TestRecord<String, Recommendation>> out = recommendations.readRecordsToList();
    assertThat(out).extracting(TestRecord::key).doesNotContain("alice", "bob").contains(alice);
    assertThat(out).extracting(r -> r.value().userId()).doesNotContain("alice", "bob");
    assertThat(examples.readValuesToList())
        .extracting(TrainingExampleRecord::userId)
        .contains(alice)
        .doesNotContain("alice", "bob");

    // A deletion keyed by the raw id, as the user's events are, forgets the pseudonymous user
    forget("alice", null, T0 + 3);
    assertThat(keysOf(RecsysTopology.USER_FEATURES_STORE, alice)).isEmpty();
    assertThat(keysOf(RecsysTopology.USER_SEEN_STORE, alice)).isEmpty();
    assertThat(recommendations.readRecordsToList())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo(alice);
              assertThat(r.value()).isNull();
            });
    assertThat(reports.readValue().removed()).containsEntry(RecsysTopology.USER_FEATURES_STORE, 1L);
  }
}
