package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.recsys.app.RecsysApp;
import io.recsys.app.cli.RecsysCommand;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.PromotionHistory;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.app.testing.TestModels;
import io.recsys.schemas.Json;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling registry versions out to a live pipeline through {@code bin/recsys models}: serving
 * switches without a restart, the trainer continues the promoted version, and no event goes without
 * a recommendation on the way; broken versions never replace the served one.
 */
class ModelRolloutTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final int ITEMS = 40;
  private static final int USERS = 30;

  @TempDir Path stateDir;
  @TempDir Path trainerDir;
  @TempDir Path work;

  private Map<String, Object> appConfig() {
    Map<String, Object> config = KAFKA.appConfig("rollout");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, trainerDir.toString());
    config.put(RecsysConfig.REGISTRY_DIR_CONFIG, work.resolve("models").toString());
    config.put(RecsysConfig.MODEL_PUBLISH_INTERVAL_CONFIG, "300");
    config.put(RecsysConfig.TRAINER_CHECKPOINT_INTERVAL_CONFIG, "500");
    config.put(RecsysConfig.TRAINER_BATCH_SIZE_CONFIG, "32");
    return config;
  }

  /** v1 and v2: models that learned different walks over the items (strides 1 and 3). */
  private void registerTwoHabits(ModelRegistry registry) throws Exception {
    registry.register(
        TestModels.trainCycle(work.resolve("a.zip"), 20, ITEMS, 1, 5),
        TestModels.provenance(200),
        Map.of());
    registry.register(
        TestModels.trainCycle(work.resolve("b.zip"), 20, ITEMS, 3, 5),
        TestModels.provenance(300),
        Map.of());
  }

  @Test
  void shouldPromoteAndRollBackLiveWithEveryEventRecommendedAndRefuseBrokenVersions()
      throws Exception {
    Map<String, Object> config = appConfig();
    Path configFile = writeConfig(config);
    ModelRegistry registry = new ModelRegistry(work.resolve("models"));
    // Given two registered versions that learned different habits, and a broken third
    registerTwoHabits(registry);
    registry.register(
        Files.write(work.resolve("broken.zip"), "garbage, not a checkpoint".getBytes()),
        TestModels.provenance(1),
        Map.of());

    try (RecsysApp app = RecsysApp.start(config);
        EventFeed feed = new EventFeed((String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG), 0);
        RecommendationLog log =
            new RecommendationLog((String) config.get(RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG))) {
      // And the live pipeline serving its own trainer's model while events flow
      feed.start();
      Await.until(
          () ->
              log.poll().stream()
                  .anyMatch(r -> r.modelVersion() != null && r.modelVersion().startsWith("m-")));

      // When v1 is promoted through the command line, waiting for its first recommendation
      CommandResult promoted =
          runCommand(
              "models", "promote", "v1", "--wait", "--json", "--config", configFile.toString());

      // Then the command reports the time to the first recommendation by v1's lineage
      assertThat(promoted.status()).as(promoted.stderr()).isZero();
      assertThat(promoted.summary().get("version").asInt()).isEqualTo(1);
      assertThat(promoted.summary().get("first_recommendation_ms").isNumber()).isTrue();
      assertThat(
              ModelUpdates.derivesFrom(
                  promoted.summary().get("first_recommendation_model_version").asText(), "v1"))
          .isTrue();
      // And the trainer continues v1: recommendations come from v1+<updates>
      int afterPromotion = log.size();
      awaitRecommendation(
          log, afterPromotion, r -> lineageOf(r, "v1") && r.modelVersion().startsWith("v1+"));

      // When v2 is promoted, then serving and training switch to it
      CommandResult second =
          runCommand("models", "promote", "2", "--config", configFile.toString());
      assertThat(second.status()).as(second.stderr()).isZero();
      int afterSecond = log.size();
      awaitRecommendation(log, afterSecond, r -> r.modelVersion().startsWith("v2+"));

      // When rolled back, then v1's lineage returns, as a rollback recorded in the history
      CommandResult rollback =
          runCommand("models", "rollback", "--json", "--config", configFile.toString());
      assertThat(rollback.status()).as(rollback.stderr()).isZero();
      assertThat(rollback.summary().get("version").asInt()).isEqualTo(1);
      assertThat(rollback.summary().get("previous").asInt()).isEqualTo(2);
      int afterRollback = log.size();
      awaitRecommendation(log, afterRollback, r -> r.modelVersion().startsWith("v1+"));
      assertThat(new PromotionHistory(registry.root()).entries())
          .extracting(p -> p.action() + " v" + p.version())
          .containsExactly("promote v1", "promote v2", "rollback v1");

      // When the broken version is promoted, then it is refused, naming it and the reason
      CommandResult broken =
          runCommand("models", "promote", "v3", "--config", configFile.toString());
      assertThat(broken.status()).isEqualTo(1);
      assertThat(broken.stderr()).contains("model v3 refused").contains("does not load");
      assertThat(new PromotionHistory(registry.root()).live()).contains(1);

      // When a corrupt checkpoint is published straight onto model-updates
      long refusedBefore = app.model().refusedCount();
      publishRaw(
          (String) config.get(RecsysConfig.MODEL_UPDATES_TOPIC_CONFIG),
          "v99",
          "corrupt".getBytes());
      Await.until(() -> app.model().refusedCount() > refusedBefore);
      // Then serving refused it and still serves v1's lineage
      assertThat(app.model().get().orElseThrow().version().version()).startsWith("v1");
      int afterCorrupt = log.size();
      awaitRecommendation(log, afterCorrupt, r -> r.modelVersion().startsWith("v1+"));

      // And every event produced on the way has exactly one recommendation
      feed.stop();
      Set<String> produced = feed.produced();
      Await.until(() -> keys(log.poll()).containsAll(produced));
      List<Recommendation> all = log.poll();
      assertThat(all).noneMatch(r -> lineageOf(r, "v99") || lineageOf(r, "v3"));
      List<String> keys = all.stream().map(r -> r.userId() + "@" + r.eventTime()).toList();
      assertThat(keys).doesNotHaveDuplicates();
      assertThat(Set.copyOf(keys)).isEqualTo(produced);
    }
  }

  @Test
  void shouldKeepTheAdoptedLineageAcrossARestartAndAdoptAPromotionMadeWhileDown() throws Exception {
    Map<String, Object> config = appConfig();
    Path configFile = writeConfig(config);
    ModelRegistry registry = new ModelRegistry(work.resolve("models"));
    registerTwoHabits(registry);
    String events = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    String recommendations = (String) config.get(RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG);
    long lastBeforeRestart;

    // Given a trainer that adopted v1 and has trained on top of it for a while
    try (RecsysApp app = RecsysApp.start(config);
        EventFeed feed = new EventFeed(events, 0);
        RecommendationLog log = new RecommendationLog(recommendations)) {
      feed.start();
      Await.until(() -> app.model().get().isPresent());
      assertThat(runCommand("models", "promote", "v1", "--config", configFile.toString()).status())
          .isZero();
      Await.until(() -> updatesSince(app, "v1") >= 20);
      feed.stop();
      lastBeforeRestart = updatesSince(app, "v1");
    }

    // When it restarts from its checkpoint
    try (RecsysApp app = RecsysApp.start(config);
        EventFeed feed = new EventFeed(events, 1_000_000)) {
      long restartedAt = System.currentTimeMillis();
      feed.start();
      Await.until(
          () -> app.model().get().map(m -> m.version().createdAt() > restartedAt).orElse(false));
      // Then its first publication continues its v1 lineage instead of adopting v1 afresh (which
      // would restart the count of updates since v1 near zero)
      assertThat(updatesSince(app, "v1")).isGreaterThan(lastBeforeRestart);
      feed.stop();
    }

    // When v2 is promoted while the pipeline is down
    assertThat(runCommand("models", "promote", "2", "--config", configFile.toString()).status())
        .isZero();

    // Then the restarted trainer adopts it before training again
    try (RecsysApp app = RecsysApp.start(config);
        EventFeed feed = new EventFeed(events, 2_000_000)) {
      feed.start();
      Await.until(() -> updatesSince(app, "v2") > 0);
    }
  }

  /**
   * How many online updates the served model has had since {@code base} (from its name {@code
   * base+N}); -1 while it is not of that lineage.
   */
  private static long updatesSince(RecsysApp app, String base) {
    String version = app.model().get().map(m -> m.version().version()).orElse("");
    return version.startsWith(base + "+")
        ? Long.parseLong(version.substring(base.length() + 1))
        : -1;
  }

  private static boolean lineageOf(Recommendation r, String version) {
    return ModelUpdates.derivesFrom(r.modelVersion(), version);
  }

  private static Set<String> keys(List<Recommendation> recommendations) {
    Set<String> keys = new java.util.HashSet<>();
    recommendations.forEach(r -> keys.add(r.userId() + "@" + r.eventTime()));
    return keys;
  }

  private Path writeConfig(Map<String, Object> config) throws Exception {
    Properties properties = new Properties();
    config.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
    Path file = work.resolve("recsys.properties");
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(writer, "test broker");
    }
    return file;
  }

  private static void publishRaw(String topic, String version, byte[] checkpoint) {
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
      ModelUpdates.records(
              topic,
              new ModelUpdates.ModelVersion(version, System.currentTimeMillis(), 0),
              checkpoint,
              ModelUpdates.ORIGIN_REGISTRY)
          .forEach(producer::send);
      producer.flush();
    }
  }

  private record CommandResult(int status, String stdout, String stderr) {
    JsonNode summary() throws Exception {
      List<String> lines = stdout.lines().toList();
      return Json.newMapper().readTree(lines.get(lines.size() - 1));
    }
  }

  /** Runs {@code bin/recsys ...} in this JVM, capturing what it prints. */
  private static synchronized CommandResult runCommand(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int status;
    try {
      status = RecsysCommand.commandLine().execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderr = err.toString(StandardCharsets.UTF_8);
    originalOut.print(stdout);
    return new CommandResult(status, stdout, stderr);
  }

  private static void awaitRecommendation(
      RecommendationLog log, int from, Predicate<Recommendation> condition)
      throws InterruptedException {
    Await.until(
        () -> {
          List<Recommendation> all = log.poll();
          return all.subList(from, all.size()).stream()
              .anyMatch(r -> r.modelVersion() != null && condition.test(r));
        });
  }

  /** Users walking the item cycle, a few events every 50 ms, each with a unique event time. */
  private static final class EventFeed implements AutoCloseable {
    private final String topic;
    private final long firstSequence;
    private final Set<String> produced = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile Exception failure;

    EventFeed(String topic, long firstSequence) {
      this.topic = topic;
      this.firstSequence = firstSequence;
      this.thread = new Thread(this::feed, "test-event-feed");
    }

    void start() {
      thread.start();
    }

    private void feed() {
      try (var producer =
          new KafkaProducer<>(
              KAFKA.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
        long sequence = firstSequence;
        while (!stopped) {
          for (int i = 0; i < 5; i++, sequence++) {
            int user = (int) (sequence % USERS);
            long step = sequence / USERS;
            String userId = "user-" + user;
            String itemId = "item-" + ((user + step) % ITEMS);
            long eventTime = T0 + sequence;
            String json =
                "{\"userId\":\"%s\",\"itemId\":\"%s\",\"eventType\":\"view\",\"eventTime\":%d}"
                    .formatted(userId, itemId, eventTime);
            producer.send(
                new ProducerRecord<>(
                    topic,
                    userId.getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8)));
            produced.add(userId + "@" + eventTime);
          }
          producer.flush();
          Thread.sleep(50);
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    void stop() throws Exception {
      stopped = true;
      thread.join(30_000);
      if (failure != null) {
        throw failure;
      }
    }

    Set<String> produced() {
      return Set.copyOf(produced);
    }

    @Override
    public void close() throws Exception {
      stopped = true;
      thread.join(30_000);
    }
  }

  /** Every recommendation written so far, read from the beginning (read_committed). */
  private static final class RecommendationLog implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<Recommendation> records = new ArrayList<>();

    RecommendationLog(String topic) {
      this.topic = topic;
      Map<String, Object> config = new HashMap<>(KAFKA.clientConfig());
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      this.consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived since the last call; returns everything so far. */
    synchronized List<Recommendation> poll() {
      var deserializer = SchemaSerdes.recommendation().deserializer();
      for (var record : consumer.poll(Duration.ofMillis(200))) {
        records.add(deserializer.deserialize(topic, record.value()));
      }
      return List.copyOf(records);
    }

    synchronized int size() {
      return poll().size();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
