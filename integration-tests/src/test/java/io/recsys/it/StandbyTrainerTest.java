package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.kafka.Consumers;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Two processes with the trainer enabled and one checkpoint directory: one trains, the other stands
 * by and takes over from the checkpoint when the first stops; no example is trained twice in the
 * model's history and no version name is published twice, also when a trainer resumes from a
 * checkpoint older than what was published.
 */
class StandbyTrainerTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final int USERS = 40;

  @TempDir Path stateA;
  @TempDir Path stateB;
  @TempDir Path trainerDir;

  private Map<String, Object> config(Map<String, Object> shared, Path state) {
    Map<String, Object> config = new HashMap<>(shared);
    config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    return config;
  }

  private Map<String, Object> shared(String name) {
    Map<String, Object> config = KAFKA.appConfig(name);
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, trainerDir.toString());
    config.put(RecsysConfig.MODEL_PUBLISH_INTERVAL_CONFIG, "200");
    config.put(RecsysConfig.TRAINER_CHECKPOINT_INTERVAL_CONFIG, "500");
    config.put(RecsysConfig.TRAINER_BATCH_SIZE_CONFIG, "16");
    config.put(RecsysConfig.TRAINER_MAX_LAG_CONFIG, "0");
    return config;
  }

  @Test
  void shouldTrainInOneProcessAndHandOverToTheStandbyWhenItStops() throws Exception {
    Map<String, Object> shared = shared("standby-trainer");
    String events = (String) shared.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    RecsysApp a = RecsysApp.start(config(shared, stateA));
    RecsysApp b = RecsysApp.start(config(shared, stateB));
    try {
      // Given two processes with the trainer enabled: exactly one trains
      long firstExamples = produce(events, 0, 5);
      Await.until(() -> trained(a) + trained(b) >= firstExamples);
      assertThat(a.trainer().isPresent()).isNotEqualTo(b.trainer().isPresent());
      RecsysApp active = a.trainer().isPresent() ? a : b;
      RecsysApp standby = active == a ? b : a;

      // When the active one stops, the standby takes over from its checkpoint
      active.close();
      long all = firstExamples + produce(events, 5, 10);
      Await.until(() -> trained(standby) >= all);

      // Then every example is in the model's history exactly once, and every version name was
      // published once, in order
      assertThat(standby.trainer().orElseThrow().examplesTrained()).isEqualTo(all);
      Await.until(
          () -> standby.model().get().map(m -> m.model().examplesTrained() == all).orElse(false));
      assertPublishedOnceEach(shared);
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void shouldNotPublishAVersionAgainWhenResumingFromAnOlderCheckpoint() throws Exception {
    Map<String, Object> shared = shared("rewound-trainer");
    String events = (String) shared.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    Path checkpoint = trainerDir.resolve("checkpoint.zip");
    Path older = trainerDir.resolve("older.zip");
    long first;
    long all;
    try (RecsysApp app = RecsysApp.start(config(shared, stateA))) {
      first = produce(events, 0, 4);
      Await.until(() -> trained(app) >= first && Files.exists(checkpoint));
      app.close();
      Files.copy(checkpoint, older);
    }
    try (RecsysApp app = RecsysApp.start(config(shared, stateA))) {
      all = first + produce(events, 4, 8);
      Await.until(() -> trained(app) >= all);
      Await.until(
          () -> app.model().get().map(m -> m.model().examplesTrained() == all).orElse(false));
    }

    // Given a trainer that died after publishing versions its last checkpoint does not hold
    Files.move(older, checkpoint, StandardCopyOption.REPLACE_EXISTING);

    // When it resumes from that checkpoint and trains on
    try (RecsysApp app = RecsysApp.start(config(shared, stateA))) {
      long more = produce(events, 8, 12);
      Await.until(() -> trained(app) >= all + more);

      // Then it retrained what it had lost and published no version name a second time
      assertThat(app.trainer().orElseThrow().examplesTrained()).isEqualTo(all + more);
      Await.until(
          () ->
              app.model().get().map(m -> m.model().examplesTrained() == all + more).orElse(false));
      assertPublishedOnceEach(shared);
    }
  }

  private static long trained(RecsysApp app) {
    return app.trainer().map(t -> t.examplesTrained()).orElse(0L);
  }

  /**
   * Events of steps [from, to) for every user; returns the training examples they make (a user's
   * first event has no history to learn from).
   */
  private static long produce(String topic, int from, int to) {
    try (var producer =
        new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(), new StringSerializer())) {
      for (int step = from; step < to; step++) {
        for (int user = 0; user < USERS; user++) {
          String json =
              "{\"userId\":\"u%d\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(user, (user + step) % 30, T0 + step * 1000L + user);
          producer.send(new ProducerRecord<>(topic, "u" + user, json));
        }
      }
      producer.flush();
    }
    return (long) USERS * (to - from) - (from == 0 ? USERS : 0);
  }

  private static void assertPublishedOnceEach(Map<String, Object> shared) {
    String topic = (String) shared.get(RecsysConfig.MODEL_UPDATES_TOPIC_CONFIG);
    List<String> versions = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            ModelUpdates.consumerConfig(KAFKA.clientConfig()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = Consumers.assignAll(consumer, topic);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      consumer.seekToBeginning(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var chunk = record.headers().lastHeader(ModelUpdates.CHUNK);
          if ("0".equals(new String(chunk.value(), StandardCharsets.UTF_8))) {
            versions.add(
                new String(
                    record.headers().lastHeader(ModelUpdates.VERSION).value(),
                    StandardCharsets.UTF_8));
          }
        }
      }
    }
    assertThat(versions).as("versions published").hasSizeGreaterThan(2).doesNotHaveDuplicates();
  }
}
