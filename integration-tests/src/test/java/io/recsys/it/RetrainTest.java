package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.history.TimeRange;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.Provenance.PartitionRange;
import io.recsys.app.registry.RegisteredModel;
import io.recsys.app.retrain.Retrain;
import io.recsys.app.retrain.RetrainProtocol;
import io.recsys.app.retrain.RetrainRequest;
import io.recsys.app.retrain.RetrainResult;
import io.recsys.app.retrain.RetrainSource;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.TrainingMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recsys retrain} against a real broker: what it reads, what it registers, what it leaves.
 */
class RetrainTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final int USERS = 30;
  private static final int STEPS = 40;
  private static final int ITEMS = 50;

  @TempDir Path stateDir;
  @TempDir Path registryDir;
  @TempDir Path workDir;

  private Map<String, Object> appConfig(String name) {
    Map<String, Object> config = KAFKA.appConfig(name);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "3");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.REGISTRY_DIR_CONFIG, registryDir.toString());
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, stateDir.resolve("trainer").toString());
    return config;
  }

  /** A small model and one epoch: these tests are about data, not accuracy. */
  private static RetrainRequest request(
      RetrainSource source, TimeRange range, RetrainProtocol protocol, Path workDir) {
    ModelConfig model =
        ModelConfig.builder().embeddingSize(8).hiddenSize(16).sequenceLength(10).build();
    return new RetrainRequest(
        source,
        range,
        protocol,
        new EvaluationSettings(model, 1, 1, 8, 10, TrainingMode.FULL_SEQUENCE, 1.0),
        0.1,
        workDir);
  }

  /**
   * Event {@code i} (step-major: every user's step 0, then step 1, ...) has record timestamp and
   * event time {@code T0 + i * 1000}; users walk a cycle so that consecutive items differ.
   */
  private static List<ProducerRecord<byte[], byte[]>> events(String topic) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    int i = 0;
    for (int step = 0; step < STEPS; step++) {
      for (int user = 0; user < USERS; user++, i++) {
        String userId = "user-" + user;
        String itemId = "item-" + ((user + step) % ITEMS);
        long time = T0 + i * 1000L;
        String json =
            "{\"userId\":\"%s\",\"itemId\":\"%s\",\"eventType\":\"view\",\"eventTime\":%d}"
                .formatted(userId, itemId, time);
        records.add(new ProducerRecord<>(topic, null, time, utf8(userId), utf8(json)));
      }
    }
    return records;
  }

  @Test
  void shouldSkipTheRecordsOfAUserDeletedAfterThemButNotTheUsersNewHistory() throws Exception {
    Map<String, Object> config = appConfig("retrain-forget");
    RecsysSettings settings = RecsysConfig.parse(config);
    String topic = settings.topics().events();
    KAFKA.createTopics(
        List.of(
            new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1),
            new org.apache.kafka.clients.admin.NewTopic(
                settings.topics().userDeletions(), 3, (short) 1)));
    // Given every user's history, then user-1 forgotten, then three new events of user-1
    List<ProducerRecord<byte[], byte[]>> records = events(topic);
    long deletedAt = T0 + USERS * STEPS * 1000L;
    records.add(
        new ProducerRecord<>(
            settings.topics().userDeletions(), null, deletedAt, utf8("user-1"), (byte[]) null));
    for (int step = 1; step <= 3; step++) {
      long time = deletedAt + step * 1000L;
      String json =
          "{\"userId\":\"user-1\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
              .formatted(step, time);
      records.add(new ProducerRecord<>(topic, null, time, utf8("user-1"), utf8(json)));
    }
    produce(records);

    // When a retrain reads the events
    RetrainResult result =
        Retrain.run(
            config,
            settings,
            request(RetrainSource.EVENTS, TimeRange.ALL, RetrainProtocol.TIME, null),
            p -> {});

    // Then user-1's history before the deletion is not learnt again; the new one is
    assertThat(result.evaluation()).containsEntry("deletedUserRecords", (long) STEPS);
    assertThat(result.interactions()).isEqualTo(USERS * STEPS - STEPS + 3);
  }

  @Test
  void shouldReadExactlyTheRecordsInRangeFromTheBeginningAndFromATimeRange() throws Exception {
    Map<String, Object> config = appConfig("retrain-range");
    RecsysSettings settings = RecsysConfig.parse(config);
    String topic = settings.topics().events();
    KAFKA.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1)));
    // Given 1,200 valid events on three partitions and two invalid ones in the middle
    List<ProducerRecord<byte[], byte[]>> records = events(topic);
    long badTime = T0 + 600 * 1000L + 500;
    records.add(new ProducerRecord<>(topic, null, badTime, utf8("user-1"), utf8("{not json")));
    records.add(
        new ProducerRecord<>(
            topic,
            null,
            badTime,
            utf8("user-2"),
            utf8(
                "{\"userId\":\"user-2\",\"itemId\":\"x\",\"eventType\":\"teleport\","
                    + "\"eventTime\":"
                    + badTime
                    + "}")));
    List<RecordMetadata> written = produce(records);

    // When a retrain reads the whole topic
    RetrainResult all =
        Retrain.run(
            config,
            settings,
            request(RetrainSource.EVENTS, TimeRange.ALL, RetrainProtocol.TIME, workDir),
            p -> {});

    // Then it read every record once, and the offsets it records are every partition's whole log
    assertThat(all.read().records()).isEqualTo(records.size());
    assertThat(all.invalidRecords()).isEqualTo(2);
    assertThat(all.interactions()).isEqualTo(USERS * STEPS);
    assertThat(all.read().offsets()).isEqualTo(expectedOffsets(topic, written, null));
    // And the registered version's provenance says so, and its checkpoint loads
    RegisteredModel v1 = new ModelRegistry(registryDir).get(1).orElseThrow();
    assertThat(all.registered().version()).isEqualTo(1);
    assertThat(v1.provenance().source()).isEqualTo("kafka:" + topic);
    assertThat(v1.provenance().records()).isEqualTo(records.size());
    assertThat(v1.provenance().offsets()).isEqualTo(all.read().offsets());
    assertThat(v1.provenance().seed()).isEqualTo(42L);
    assertThat(v1.evaluation()).containsKeys("model", "popularity", "bestEpoch", "epochSeconds");
    try (NextItemModel model = NextItemModel.load(v1.checkpoint())) {
      assertThat(model.vocabulary().size()).isEqualTo(ITEMS);
    }
    // And the features were rebuilt in the given work directory, which is kept
    assertThat(workDir.resolve("features")).isDirectory();

    // When a retrain reads the time range [event 300, event 900), ISO-8601 and epoch ms mixed
    long from = T0 + 300 * 1000L;
    long to = T0 + 900 * 1000L;
    TimeRange range =
        TimeRange.parse(java.time.Instant.ofEpochMilli(from).toString(), Long.toString(to));
    RetrainResult ranged =
        Retrain.run(
            config,
            settings,
            request(RetrainSource.EVENTS, range, RetrainProtocol.LOO, null),
            p -> {});

    // Then it read exactly the 600 valid and 2 invalid records stamped in the range, the
    // invalid ones although they lie after records stamped later (at the end of the log)
    assertThat(ranged.read().records()).isEqualTo(602);
    assertThat(ranged.read().outOfRange()).isEqualTo(300);
    assertThat(ranged.invalidRecords()).isEqualTo(2);
    assertThat(ranged.interactions()).isEqualTo(600);
    assertThat(ranged.read().offsets()).isEqualTo(expectedOffsets(topic, written, from));
    RegisteredModel v2 = new ModelRegistry(registryDir).get(2).orElseThrow();
    assertThat(v2.provenance().fromTimestamp()).isEqualTo(from);
    assertThat(v2.provenance().toTimestamp()).isEqualTo(to);
    assertThat(v2.evaluation().get("protocol")).isEqualTo("loo-full-ranking");
    // And its default work directory, beside the application's state, is gone again
    try (Stream<Path> left = Files.list(stateDir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith("retrain-"));
    }
  }

  /** Per partition: the first offset stamped at or after {@code from}, then the log's end. */
  private static List<PartitionRange> expectedOffsets(
      String topic, List<RecordMetadata> written, Long from) {
    Map<Integer, List<RecordMetadata>> byPartition =
        written.stream()
            .collect(
                Collectors.groupingBy(
                    RecordMetadata::partition, TreeMap::new, Collectors.toList()));
    List<PartitionRange> ranges = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      List<RecordMetadata> log = new ArrayList<>(byPartition.getOrDefault(p, List.of()));
      log.sort(Comparator.comparingLong(RecordMetadata::offset));
      long end = log.size();
      long first = end;
      for (RecordMetadata m : log) {
        if (from == null || m.timestamp() >= from) {
          first = Math.min(first, m.offset());
        }
      }
      ranges.add(new PartitionRange(topic, p, first, end));
    }
    return ranges;
  }

  @Test
  void shouldLeaveTheLiveApplicationsStateAndOutputUntouched() throws Exception {
    Map<String, Object> config = appConfig("retrain-live");
    config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    RecsysSettings settings = RecsysConfig.parse(config);
    String applicationId = (String) config.get(StreamsConfig.APPLICATION_ID_CONFIG);
    List<ProducerRecord<byte[], byte[]>> records = events(settings.topics().events());

    // Given the live application has processed every event and stopped
    try (RecsysApp app = RecsysApp.start(config)) {
      produce(records);
      Await.until(() -> committed(applicationId, settings.topics().events()) == records.size());
    }
    Snapshot before = Snapshot.take(applicationId, stateDir);
    assertThat(before.endOffsets().get(settings.topics().recommendations())).isPositive();
    long examples = before.endOffsets().get(settings.topics().trainingExamples());
    // Every event moves its user to a new item, so each is an example (the first with no history).
    assertThat(examples).isEqualTo(USERS * STEPS);

    // When retrains read its events (work directory under its state.dir by default) and its
    // training examples
    RetrainResult fromEvents =
        Retrain.run(
            config,
            settings,
            request(RetrainSource.EVENTS, TimeRange.ALL, RetrainProtocol.TIME, null),
            p -> {});
    RetrainResult fromExamples =
        Retrain.run(
            config,
            settings,
            request(RetrainSource.TRAINING_EXAMPLES, TimeRange.ALL, RetrainProtocol.TIME, null),
            p -> {});

    RetrainResult again =
        Retrain.run(
            config,
            settings,
            request(RetrainSource.EVENTS, TimeRange.ALL, RetrainProtocol.TIME, null),
            p -> {});

    // Then they read everything there was
    assertThat(fromEvents.read().records()).isEqualTo(records.size());
    // And the same records, settings and seed give the same model, figure for figure
    assertThat(again.evaluation().get("model")).isEqualTo(fromEvents.evaluation().get("model"));
    assertThat(again.evaluation().get("bestValidationNdcg10"))
        .isEqualTo(fromEvents.evaluation().get("bestValidationNdcg10"));
    assertThat(fromExamples.read().records()).isEqualTo(examples);
    assertThat(fromExamples.registered().provenance().source())
        .isEqualTo("kafka:" + settings.topics().trainingExamples());
    // And the application's topics, committed offsets, consumer groups and state files are
    // exactly as before
    Snapshot after = Snapshot.take(applicationId, stateDir);
    assertThat(after.endOffsets()).isEqualTo(before.endOffsets());
    assertThat(after.committed()).isEqualTo(before.committed());
    assertThat(after.groups()).isEqualTo(before.groups());
    assertThat(after.stateFiles()).isEqualTo(before.stateFiles());
    // And every model is registered and loads
    List<RegisteredModel> versions = new ModelRegistry(registryDir).list();
    assertThat(versions).hasSize(3);
    for (RegisteredModel version : versions) {
      try (NextItemModel model = NextItemModel.load(version.checkpoint())) {
        assertThat(model.vocabulary().size()).isEqualTo(ITEMS);
      }
    }
  }

  /** What a retrain must not change. */
  private record Snapshot(
      Map<String, Long> endOffsets,
      Map<TopicPartition, Long> committed,
      TreeSet<String> groups,
      Map<String, String> stateFiles) {

    static Snapshot take(String applicationId, Path stateDir) throws Exception {
      try (Admin admin = Admin.create(KAFKA.clientConfig())) {
        Map<String, Long> ends = new TreeMap<>();
        Map<String, TopicDescription> topics =
            admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.values().stream()
            .filter(t -> t.name().contains(applicationId) || t.name().contains("retrain-live"))
            .forEach(
                t ->
                    t.partitions()
                        .forEach(
                            p ->
                                latest.put(
                                    new TopicPartition(t.name(), p.partition()),
                                    OffsetSpec.latest())));
        admin
            .listOffsets(latest)
            .all()
            .get()
            .forEach((tp, info) -> ends.merge(tp.topic(), info.offset(), Long::sum));
        Map<TopicPartition, Long> committed =
            new TreeMap<>(Comparator.comparing(TopicPartition::toString));
        Map<TopicPartition, OffsetAndMetadata> offsets =
            admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
        TreeSet<String> groups = new TreeSet<>();
        for (ConsumerGroupListing g : admin.listConsumerGroups().all().get()) {
          groups.add(g.groupId());
        }
        return new Snapshot(ends, committed, groups, stateFiles(stateDir));
      }
    }

    /** Every file under the state directory: size and modification time. */
    private static Map<String, String> stateFiles(Path dir) throws IOException {
      Map<String, String> files = new TreeMap<>();
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.filter(Files::isRegularFile).toList()) {
          files.put(
              dir.relativize(p).toString(),
              Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
        }
      }
      return files;
    }
  }

  private static long committed(String group, String topic) {
    try (Admin admin = Admin.create(KAFKA.clientConfig())) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get()
          .entrySet()
          .stream()
          .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
          .mapToLong(e -> e.getValue().offset())
          .sum();
    } catch (Exception e) {
      return -1;
    }
  }

  private static List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records)
      throws Exception {
    Map<String, Object> config = new HashMap<>(KAFKA.clientConfig());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    List<RecordMetadata> written = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : records) {
        sent.add(producer.send(r));
      }
      for (var f : sent) {
        written.add(f.get());
      }
    }
    return written;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
