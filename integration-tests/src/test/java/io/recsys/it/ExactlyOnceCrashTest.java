package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: the application runs as a separate JVM ({@code recsys run}) and is killed with
 * SIGKILL mid-stream, then started again. Under exactly_once_v2 the committed output must hold
 * exactly one recommendation per event.
 */
class ExactlyOnceCrashTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final int USERS = 100;
  private static final int STEPS = 150;

  @TempDir Path dir;

  @Test
  void shouldPublishExactlyOneRecommendationPerEventDespiteAKill() throws Exception {
    // Given an exactly-once application and 15,000 events waiting for it
    Path config = writeConfig();
    String events = "eos-events";
    String recommendations = "eos-recommendations";
    KAFKA.createTopic(events, 3);
    produce(events);

    // When it is killed (SIGKILL) while processing them, and started again
    Process first = start(config, "first.log");
    awaitCommittedAtLeast(recommendations, USERS * STEPS / 4, first);
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Process second = start(config, "second.log");
    try {
      List<Recommendation> committed =
          awaitCommittedAtLeast(recommendations, USERS * STEPS, second);
      Thread.sleep(3000); // let any duplicate that would wrongly follow arrive
      committed = readCommitted(recommendations);

      // Then every event has exactly one committed recommendation
      Map<String, Integer> perEvent = new HashMap<>();
      for (Recommendation recommendation : committed) {
        perEvent.merge(recommendation.userId() + "@" + recommendation.eventTime(), 1, Integer::sum);
      }
      assertThat(perEvent).hasSize(USERS * STEPS);
      assertThat(perEvent.values()).allMatch(count -> count == 1);

      // And the restart explains the discarded local state in one warning, without the stack
      // traces Kafka Streams logs for it
      List<String> log = Files.readAllLines(dir.resolve("second.log"));
      assertThat(log.stream().filter(line -> line.contains("stopped without closing"))).hasSize(1);
      assertThat(log).noneMatch(line -> line.contains("TaskCorruptedException"));
      assertThat(log).noneMatch(line -> line.contains(" ERROR ") && line.contains("streams"));
    } finally {
      second.destroy();
      second.waitFor(60, TimeUnit.SECONDS);
    }
  }

  private Path writeConfig() throws IOException {
    Properties properties = new Properties();
    properties.put("bootstrap.servers", KAFKA.bootstrapServers());
    properties.put("application.id", "eos-crash");
    properties.put("processing.guarantee", "exactly_once_v2");
    properties.put("state.dir", dir.resolve("state").toString());
    properties.put(RecsysConfig.EVENTS_TOPIC_CONFIG, "eos-events");
    properties.put(RecsysConfig.DLQ_TOPIC_CONFIG, "eos-dlq");
    properties.put(RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG, "eos-recommendations");
    properties.put(RecsysConfig.ITEM_EVENTS_TOPIC_CONFIG, "eos-item-events");
    properties.put(RecsysConfig.POPULARITY_TOPIC_CONFIG, "eos-popularity");
    properties.put(RecsysConfig.TRAINING_EXAMPLES_TOPIC_CONFIG, "eos-training-examples");
    properties.put(RecsysConfig.MODEL_UPDATES_TOPIC_CONFIG, "eos-model-updates");
    properties.put(RecsysConfig.METRICS_TOPIC_CONFIG, "eos-metrics");
    properties.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "3");
    properties.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    properties.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    properties.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    Path file = dir.resolve("app.properties");
    try (var writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "exactly-once crash test");
    }
    return file;
  }

  private Process start(Path config, String log) throws IOException {
    return RunProcess.start(config, dir.resolve(log), "512m");
  }

  private static void produce(String topic) {
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int step = 0; step < STEPS; step++) {
        for (int user = 0; user < USERS; user++) {
          String userId = "user-" + user;
          String json =
              "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(userId, (user * 13 + step * 7) % 211, T0 + step);
          producer.send(
              new ProducerRecord<>(
                  topic,
                  userId.getBytes(StandardCharsets.UTF_8),
                  json.getBytes(StandardCharsets.UTF_8)));
        }
      }
      producer.flush();
    }
  }

  private List<Recommendation> awaitCommittedAtLeast(String topic, int count, Process process)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (true) {
      List<Recommendation> committed = readCommitted(topic);
      if (committed.size() >= count) {
        return committed;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the application exited early; see " + dir);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(committed.size() + " of " + count + " committed; see " + dir);
      }
      Thread.sleep(200);
    }
  }

  private static List<Recommendation> readCommitted(String topic) {
    Map<String, Object> config = new HashMap<>(KAFKA.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<Recommendation> records = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        return records;
      }
      List<TopicPartition> partitions =
          infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          records.add(
              SchemaSerdes.recommendation().deserializer().deserialize(topic, record.value()));
        }
      }
    }
    return records;
  }
}
