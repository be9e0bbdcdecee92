package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.pipeline.RecsysTopology;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.features.UserFeatures;
import io.recsys.schemas.DeadLetterHeaders;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline against a real Kafka broker. */
class PipelineEndToEndTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(120);

  @TempDir Path stateDir;

  /** A fresh application on its own topics. */
  private Map<String, Object> appConfig(String name) {
    Map<String, Object> config = KAFKA.appConfig(name);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "3");
    config.put(RecsysConfig.RECENT_ITEMS_CONFIG, "5");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    // These tests are about the popularity pipeline; the learning path has its own tests.
    config.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    return config;
  }

  private static String topic(Map<String, Object> config, String key) {
    return (String) config.get(key);
  }

  /** {@code users} users with {@code perUser} events each, event times unique per user. */
  private static List<ProducerRecord<byte[], byte[]>> goodEvents(
      String topic, int users, int perUser) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int step = 0; step < perUser; step++) {
      for (int user = 0; user < users; user++) {
        String userId = "user-" + user;
        String itemId = "item-" + ((user * 7 + step * 3) % 97);
        String json =
            "{\"userId\":\"%s\",\"itemId\":\"%s\",\"eventType\":\"%s\",\"eventTime\":%d}"
                .formatted(userId, itemId, step % 5 == 0 ? "click" : "view", T0 + step);
        records.add(new ProducerRecord<>(topic, utf8(userId), utf8(json)));
      }
    }
    return records;
  }

  /** One bad record of each kind the pipeline must reject, {@code copies} times over. */
  private static List<ProducerRecord<byte[], byte[]>> badEvents(String topic, int copies) {
    String valid = "{\"userId\":\"bad\",\"itemId\":\"i\",\"eventType\":\"view\",\"eventTime\":1}";
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int copy = 0; copy < copies; copy++) {
      records.add(new ProducerRecord<>(topic, utf8("bad"), utf8("{\"userId\":\"bad\",")));
      records.add(
          new ProducerRecord<>(
              topic,
              utf8("bad"),
              utf8("{\"userId\":\"bad\",\"eventType\":\"view\",\"eventTime\":1}")));
      records.add(
          new ProducerRecord<>(
              topic,
              utf8("bad"),
              utf8(
                  "{\"userId\":\"bad\",\"itemId\":\"i\",\"eventType\":\"view\",\"eventTime\":\"x\"}")));
      records.add(new ProducerRecord<>(topic, null, utf8(valid)));
      records.add(new ProducerRecord<>(topic, new byte[0], utf8(valid)));
      records.add(
          new ProducerRecord<>(
              topic,
              utf8("bad"),
              utf8("{\"userId\":\"bad\",\"pad\":\"" + "x".repeat(100_000) + "\"}")));
    }
    return records;
  }

  @Test
  void shouldRecommendForEveryGoodEventAndDeadLetterEveryBadOne() throws Exception {
    // Given the pipeline running on a real broker
    Map<String, Object> config = appConfig("all-records");
    try (RecsysApp app = RecsysApp.start(config)) {
      // When 3,000 good events and 180 bad ones (6 kinds x 30) arrive interleaved
      List<ProducerRecord<byte[], byte[]>> good =
          goodEvents(topic(config, RecsysConfig.EVENTS_TOPIC_CONFIG), 60, 50);
      List<ProducerRecord<byte[], byte[]>> bad =
          badEvents(topic(config, RecsysConfig.EVENTS_TOPIC_CONFIG), 30);
      List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>(good);
      for (int i = 0; i < bad.size(); i++) {
        all.add(i * 17 % all.size(), bad.get(i));
      }
      produce(all);

      // Then every good event has exactly one recommendation for its user and event time
      List<ConsumerRecord<byte[], byte[]>> recommendations =
          readUntil(topic(config, RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG), good.size());
      List<String> produced = new ArrayList<>();
      for (var record : good) {
        String json = new String(record.value(), StandardCharsets.UTF_8);
        produced.add(
            new String(record.key(), StandardCharsets.UTF_8)
                + "@"
                + json.substring(json.lastIndexOf(':') + 1, json.length() - 1));
      }
      List<String> recommended = new ArrayList<>();
      for (var record : recommendations) {
        Recommendation recommendation = decode(record);
        recommended.add(recommendation.userId() + "@" + recommendation.eventTime());
        assertThat(new String(record.key(), StandardCharsets.UTF_8))
            .isEqualTo(recommendation.userId());
      }
      assertThat(recommended).containsExactlyInAnyOrderElementsOf(produced);

      // And every bad record is on the DLQ, bytes untouched, with reason and source
      List<ConsumerRecord<byte[], byte[]>> deadLetters =
          readUntil(topic(config, RecsysConfig.DLQ_TOPIC_CONFIG), bad.size());
      assertThat(deadLetters).hasSize(bad.size());
      Map<String, Integer> byField = new LinkedHashMap<>();
      Set<String> sources = new HashSet<>();
      for (var record : deadLetters) {
        String error = DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.ERROR);
        assertThat(error).isNotBlank();
        byField.merge(
            DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.FIELD), 1, Integer::sum);
        assertThat(DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.SOURCE_TOPIC))
            .isEqualTo(topic(config, RecsysConfig.EVENTS_TOPIC_CONFIG));
        sources.add(
            DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.SOURCE_PARTITION)
                + "/"
                + DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.SOURCE_OFFSET));
      }
      // malformed JSON + oversized value -> "$"; empty and null keys -> "key"
      assertThat(byField)
          .containsEntry("$", 60)
          .containsEntry("itemId", 30)
          .containsEntry("eventTime", 30)
          .containsEntry("key", 60);
      assertThat(sources).as("each dead letter names a distinct source offset").hasSize(bad.size());
      assertThat(app.metrics().deadLetters()).isEqualTo(bad.size());
    }
  }

  @Test
  void shouldKeepUserFeaturesAndSkipNoEventWhenStoppedMidStream() throws Exception {
    Map<String, Object> config = appConfig("restart");
    String events = topic(config, RecsysConfig.EVENTS_TOPIC_CONFIG);
    String recommendationsTopic = topic(config, RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG);
    List<ProducerRecord<byte[], byte[]>> good = goodEvents(events, 40, 150);
    int third = good.size() / 3;

    // Given the pipeline has processed the first third of the events
    try (RecsysApp app = RecsysApp.start(config)) {
      produce(good.subList(0, third));
      readUntil(recommendationsTopic, third);
      // When the second third arrives and the app is stopped while processing it
      produce(good.subList(third, 2 * third));
    }
    // and restarted on its local RocksDB state,
    try (RecsysApp app = RecsysApp.start(config)) {
      readUntil(recommendationsTopic, 2 * third);
    }
    // then restarted again with its local state wiped (restored from the changelog topics)
    Utils.delete(stateDir.toFile());
    try (RecsysApp app = RecsysApp.start(config)) {
      produce(good.subList(2 * third, good.size()));
      Set<String> recommended = new HashSet<>();
      for (var record : readUntil(recommendationsTopic, good.size())) {
        Recommendation recommendation = decode(record);
        recommended.add(recommendation.userId() + "@" + recommendation.eventTime());
      }

      // Then no event was skipped: every (user, event time) has a recommendation
      assertThat(recommended).hasSize(good.size());

      // And the user features survived both stops: counts and the latest items are exact
      ReadOnlyKeyValueStore<String, UserFeatures> features =
          app.streams()
              .store(
                  StoreQueryParameters.fromNameAndType(
                      RecsysTopology.USER_FEATURES_STORE, QueryableStoreTypes.keyValueStore()));
      for (int user = 0; user < 40; user++) {
        UserFeatures userFeatures = features.get("user-" + user);
        assertThat(userFeatures.eventCount()).as("events of user-%d", user).isEqualTo(150);
        assertThat(userFeatures.lastEventTime()).isEqualTo(T0 + 149);
        assertThat(userFeatures.recentItems())
            .hasSize(5)
            .endsWith("item-" + ((user * 7 + 149 * 3) % 97));
      }
    }
  }

  private static Recommendation decode(ConsumerRecord<byte[], byte[]> record) {
    return SchemaSerdes.recommendation().deserializer().deserialize(record.topic(), record.value());
  }

  private static void produce(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (var record : records) {
        producer.send(record);
      }
      producer.flush();
    }
  }

  /** Reads {@code topic} from the beginning until {@code count} records arrived (or times out). */
  private static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, int count) {
    return CommittedRecords.readUntil(KAFKA.clientConfig(), topic, count, OUTPUT_TIMEOUT);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
