package io.recsys.app.registry;

import io.recsys.app.kafka.Consumers;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the first recommendation made by a newly published version: positioned at the end of the
 * {@code recommendations} topic before the publication, it reads forward until a record's model
 * version derives from the version (the version itself or the trainer's continuation of it).
 */
public final class FirstRecommendationWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FirstRecommendationWatch.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;

  /** Captures the topic's end offsets now; call before publishing. */
  public FirstRecommendationWatch(Map<String, ?> clientConfig, String topic) {
    Map<String, Object> config = Consumers.standaloneConfig(clientConfig);
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    List<TopicPartition> partitions = Consumers.assignAll(consumer, topic);
    consumer.seekToEnd(partitions);
    // seekToEnd is lazy: resolve the positions now, before anything is published.
    partitions.forEach(consumer::position);
  }

  /** The first recommendation of {@code version}'s lineage, or empty after {@code timeout}. */
  public Optional<Recommendation> await(String version, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    var deserializer = SchemaSerdes.recommendation().deserializer();
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
        Recommendation recommendation;
        try {
          recommendation = deserializer.deserialize(topic, record.value());
        } catch (RuntimeException e) {
          LOG.debug(
              "Skipped an unreadable record at {}-{}", record.partition(), record.offset(), e);
          continue;
        }
        if (ModelUpdates.derivesFrom(recommendation.modelVersion(), version)) {
          return Optional.of(recommendation);
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
