package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.kafka.Consumers;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.model.RecommendedItem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The learning path against a real broker: examples -> trainer -> model-updates -> serving. */
class OnlineLearningTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final int ITEMS = 40;

  @TempDir Path stateDir;
  @TempDir Path trainerDir;
  @TempDir Path secondStateDir;

  private Map<String, Object> appConfig(String name, Path state) {
    Map<String, Object> config = KAFKA.appConfig(name);
    config.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, trainerDir.toString());
    config.put(RecsysConfig.MODEL_PUBLISH_INTERVAL_CONFIG, "300");
    config.put(RecsysConfig.TRAINER_CHECKPOINT_INTERVAL_CONFIG, "500");
    config.put(RecsysConfig.TRAINER_BATCH_SIZE_CONFIG, "32");
    return config;
  }

  /** Users walking a cycle over the items: item-k -> item-(k+stride) -> ... */
  private static List<ProducerRecord<byte[], byte[]>> cycleEvents(
      String topic, int users, int steps, int stride, long timeOffset) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      for (int user = 0; user < users; user++) {
        String userId = "walker-" + user;
        String itemId = "item-" + ((user + step * stride) % ITEMS);
        String json =
            "{\"userId\":\"%s\",\"itemId\":\"%s\",\"eventType\":\"view\",\"eventTime\":%d}"
                .formatted(userId, itemId, T0 + timeOffset + step);
        records.add(
            new ProducerRecord<>(
                topic,
                userId.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return records;
  }

  @Test
  void shouldLearnTheSequenceAndResumeTrainingExactlyAfterARestart() throws Exception {
    Map<String, Object> config = appConfig("learn", stateDir);
    String events = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    List<ProducerRecord<byte[], byte[]>> first = cycleEvents(events, 60, 40, 1, 0);
    List<ProducerRecord<byte[], byte[]>> second = cycleEvents(events, 60, 40, 2, 1000);
    List<String> probe = List.of("item-0");
    List<RecommendedItem> afterFirst;
    // The first event of each user has no history to learn from, so yields no trainable example.
    long examplesFirst = first.size() - 60;

    // Given the pipeline learning from users who always move to the next item of a cycle
    try (RecsysApp app = RecsysApp.start(config)) {
      produce(first);
      Await.until(() -> app.trainer().map(t -> t.examplesTrained()).orElse(0L) >= examplesFirst);
      Await.until(
          () -> app.model().get().isPresent() && servedVersionTrainedOn(app, examplesFirst));

      // Then the served model predicts the next item of the cycle far above chance (1 in 39)
      CurrentModel.Loaded model = app.model().get().orElseThrow();
      afterFirst = model.recommend(probe, 5);
      int hits = 0;
      for (int item = 0; item < ITEMS; item++) {
        List<RecommendedItem> top = model.recommend(List.of("item-" + item), 3);
        if (!top.isEmpty() && top.get(0).itemId().equals("item-" + ((item + 1) % ITEMS))) {
          hits++;
        }
      }
      assertThat(hits).as("next item ranked first, of %d", ITEMS).isGreaterThanOrEqualTo(ITEMS / 4);
    }

    // When the trainer is stopped and restarted (from its checkpoint) and the users change habit
    try (RecsysApp app = RecsysApp.start(config)) {
      produce(second);
      long all = examplesFirst + second.size();
      // Then it trains on every example exactly once over its life: no loss, no repeat
      Await.until(() -> app.trainer().map(t -> t.examplesTrained()).orElse(0L) >= all);
      Await.until(() -> servedVersionTrainedOn(app, all));
      assertThat(app.trainer().orElseThrow().examplesTrained()).isEqualTo(all);
      // And the served recommendations changed with what it learned
      assertThat(app.model().get().orElseThrow().recommend(probe, 5)).isNotEqualTo(afterFirst);

      // And a second serving instance started late catches up to the same model version, which
      // the first reached delta by delta
      Map<String, Object> secondConfig = new HashMap<>(config);
      secondConfig.put(StreamsConfig.STATE_DIR_CONFIG, secondStateDir.toString());
      secondConfig.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
      try (RecsysApp lateInstance = RecsysApp.start(secondConfig)) {
        String version = app.model().get().orElseThrow().version().version();
        Await.until(
            () ->
                lateInstance
                    .model()
                    .get()
                    .map(m -> m.version().version())
                    .orElse("")
                    .equals(version));
        // From the newest snapshot and the deltas after it, to the same weights: same lists
        assertThat(deltasOn(app.settings().topics().modelUpdates()))
            .as("deltas published")
            .isPositive();
        for (int item = 0; item < ITEMS; item++) {
          List<String> history = List.of("item-" + item);
          assertThat(lateInstance.model().get().orElseThrow().recommend(history, 5))
              .isEqualTo(app.model().get().orElseThrow().recommend(history, 5));
        }
      }
    }
  }

  /** Delta versions on the topic from its beginning to its end now (first chunks with a base). */
  private static long deltasOn(String topic) {
    try (var consumer =
        new KafkaConsumer<>(
            ModelUpdates.consumerConfig(KAFKA.clientConfig()),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = Consumers.assignAll(consumer, topic);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      consumer.seekToBeginning(partitions);
      long deltas = 0;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          var chunk = record.headers().lastHeader(ModelUpdates.CHUNK);
          if (record.headers().lastHeader(ModelUpdates.BASE) != null
              && "0".equals(new String(chunk.value(), StandardCharsets.UTF_8))) {
            deltas++;
          }
        }
      }
      return deltas;
    }
  }

  private static boolean servedVersionTrainedOn(RecsysApp app, long examples) {
    return app.model().get().map(m -> m.model().examplesTrained() >= examples).orElse(false);
  }

  private static void produce(List<ProducerRecord<byte[], byte[]>> records) {
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }
}
