package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.Provenance;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recsys replay} against a real broker: exactly the events of the time range are replayed
 * into the chosen topic, the live topics stay as they were, and the replay cleans up after itself.
 */
class ReplayTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final int USERS = 20;
  private static final int STEPS = 40;
  private static final int ITEMS = 30;

  @TempDir Path dir;

  private Map<String, Object> liveConfig(String name) {
    Map<String, Object> config = KAFKA.appConfig(name);
    config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "3");
    config.put(RecsysConfig.REGISTRY_DIR_CONFIG, dir.resolve("registry").toString());
    config.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    return config;
  }

  /** Event {@code step} of every user has record timestamp and event time T0 + step seconds. */
  private static List<ProducerRecord<String, String>> events(String topic) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int step = 0; step < STEPS; step++) {
      long time = T0 + step * 1000L;
      for (int user = 0; user < USERS; user++) {
        String userId = "user-" + user;
        String json =
            "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                .formatted(userId, (user + step * 3) % ITEMS, time);
        records.add(new ProducerRecord<>(topic, null, time, userId, json));
      }
      // One malformed record per step, in range or not like its neighbours.
      records.add(new ProducerRecord<>(topic, null, time, "user-0", "{\"userId\":\"user-0\","));
    }
    return records;
  }

  /** The model reasons possible for a user's list at an event time: one per item seen by then. */
  private static List<String> reasonsUpTo(String userId, long eventTime) {
    int user = Integer.parseInt(userId.substring("user-".length()));
    List<String> reasons = new ArrayList<>();
    for (int step = 0; step <= (eventTime - T0) / 1000L; step++) {
      reasons.add("because you interacted with item-" + (user + step * 3) % ITEMS);
    }
    return reasons;
  }

  @Test
  void shouldReplayExactlyTheRangeIntoItsOwnTopicAndLeaveLiveTopicsAlone() throws Exception {
    // Given history on the live events topic, which the live application has processed
    Map<String, Object> config = liveConfig("replay-range");
    String events = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    KAFKA.createTopic(events, 3);
    produce(events(events));
    try (RecsysApp live = RecsysApp.start(config)) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (live.metrics().recommendations() < USERS * STEPS && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(live.metrics().recommendations()).isEqualTo(USERS * STEPS);
    }
    List<String> liveTopics =
        List.of(
            liveTopic(config, RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG),
            liveTopic(config, RecsysConfig.DLQ_TOPIC_CONFIG),
            liveTopic(config, RecsysConfig.ITEM_EVENTS_TOPIC_CONFIG),
            liveTopic(config, RecsysConfig.TRAINING_EXAMPLES_TOPIC_CONFIG));
    Map<TopicPartition, Long> liveEnds = endOffsets(liveTopics);
    String output = KAFKA.uniqueTopicName("replayed");
    Path file = configFile(config);

    // When steps 10..29 are replayed
    long from = T0 + 10_000;
    long to = T0 + 30_000;
    CliRun run =
        CliRun.of(
            "replay",
            "--config",
            file.toString(),
            "--from",
            Long.toString(from),
            "--to",
            java.time.Instant.ofEpochMilli(to).toString(),
            "--output-topic",
            output,
            "--model",
            "none",
            "--json");

    // Then every valid event in range has exactly one recommendation, and nothing else does
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> expected = new ArrayList<>();
    for (int step = 10; step < 30; step++) {
      for (int user = 0; user < USERS; user++) {
        expected.add("user-" + user + "@" + (T0 + step * 1000L));
      }
    }
    List<String> replayed = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(output)) {
      Recommendation r =
          SchemaSerdes.recommendation().deserializer().deserialize(output, record.value());
      replayed.add(r.userId() + "@" + r.eventTime());
      assertThat(r.strategy()).isNotEqualTo(Strategy.MODEL);
    }
    assertThat(replayed).containsExactlyInAnyOrderElementsOf(expected);
    JsonNode summary = run.lastJsonLine();
    assertThat(summary.get("events_replayed").asLong()).isEqualTo(20L * (USERS + 1));
    assertThat(summary.get("recommendations").asLong()).isEqualTo(20L * USERS);
    assertThat(summary.get("dead_letters").asLong()).isEqualTo(20);

    // And the live topics are untouched, and the replay's private topics are gone
    assertThat(endOffsets(liveTopics)).isEqualTo(liveEnds);
    assertThat(liveEnds.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    try (Admin admin = Admin.create(KAFKA.clientConfig())) {
      Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      String prefix = config.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-replay-";
      assertThat(topics).noneMatch(name -> name.startsWith(prefix)).contains(output);
    }
  }

  @Test
  void shouldScoreWithTheRegistryVersionItIsGiven() throws Exception {
    // Given a registered model that knows the items, and history on the events topic
    Map<String, Object> config = liveConfig("replay-model");
    config.put(RecsysConfig.MODEL_ENABLED_CONFIG, "true");
    String events = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    KAFKA.createTopic(events, 3);
    produce(events(events));
    registerModel(dir.resolve("registry"));
    String output = KAFKA.uniqueTopicName("replayed");

    // When the whole topic is replayed with it
    CliRun run =
        CliRun.of(
            "replay",
            "--config",
            configFile(config).toString(),
            "--from",
            Long.toString(T0),
            "--output-topic",
            output,
            "--model",
            "v1",
            "--json");

    // Then users with history get lists from v1, and every valid event is answered
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<Recommendation> recommendations = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : readAll(output)) {
      recommendations.add(
          SchemaSerdes.recommendation().deserializer().deserialize(output, record.value()));
    }
    assertThat(recommendations).hasSize(USERS * STEPS);
    assertThat(recommendations)
        .filteredOn(r -> r.strategy() == Strategy.MODEL)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.modelVersion()).isEqualTo("v1"))
        // And each names, as its reason, an item its user had interacted with by then
        .allSatisfy(r -> assertThat(r.reason()).isIn(reasonsUpTo(r.userId(), r.eventTime())));
    assertThat(run.lastJsonLine().get("model_version").asText()).isEqualTo("v1");
  }

  @Test
  void shouldRefuseToWriteIntoALiveTopic() throws Exception {
    Map<String, Object> config = liveConfig("replay-refuse");
    String live = liveTopic(config, RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG);

    CliRun run =
        CliRun.of(
            "replay",
            "--config",
            configFile(config).toString(),
            "--from",
            "0",
            "--output-topic",
            live);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--output-topic").contains(live);
  }

  private static void registerModel(Path registryDir) throws IOException {
    ModelConfig modelConfig =
        ModelConfig.builder().embeddingSize(16).hiddenSize(16).seed(7).build();
    try (NextItemModel model = NextItemModel.create(modelConfig, VocabularyConfig.defaults())) {
      List<TrainingExample> batch = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        batch.add(
            new TrainingExample(
                List.of("item-" + (i % ITEMS), "item-" + ((i + 3) % ITEMS)),
                "item-" + ((i + 6) % ITEMS),
                1.0));
      }
      model.train(batch);
      Path checkpoint = registryDir.resolveSibling("trained.zip");
      model.save(checkpoint);
      new ModelRegistry(registryDir)
          .register(
              checkpoint,
              new Provenance(
                  "test",
                  null,
                  null,
                  List.of(),
                  batch.size(),
                  Map.of(),
                  7,
                  "test",
                  System.currentTimeMillis()),
              Map.of());
    }
  }

  private static String liveTopic(Map<String, Object> config, String key) {
    return (String) config.get(key);
  }

  private Path configFile(Map<String, Object> config) throws IOException {
    Properties properties = new Properties();
    config.forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
    Path file = Files.createTempFile(dir, "recsys-", ".properties");
    try (var writer = Files.newBufferedWriter(file)) {
      properties.store(writer, null);
    }
    return file;
  }

  private static void produce(List<ProducerRecord<String, String>> records) {
    try (var producer =
        new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(), new StringSerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  private static Map<TopicPartition, Long> endOffsets(List<String> topics) {
    try (var consumer =
        new KafkaConsumer<>(
            KAFKA.clientConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(30))
            .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      return consumer.endOffsets(partitions);
    }
  }

  /** Everything on {@code topic} up to its end offsets now (committed records only). */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> config = new HashMap<>(KAFKA.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition()))
              .toList();
      Map<TopicPartition, Long> remaining = new HashMap<>(consumer.endOffsets(partitions));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      remaining.keySet().removeIf(p -> remaining.get(p) == 0);
      while (!remaining.isEmpty()) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        remaining.keySet().removeIf(p -> consumer.position(p) >= remaining.get(p));
      }
    }
    return records;
  }
}
