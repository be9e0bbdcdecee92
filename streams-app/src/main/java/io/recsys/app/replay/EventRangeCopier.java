package io.recsys.app.replay;

import io.recsys.app.history.TimeRange;
import io.recsys.app.history.TopicRangeReader;
import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.kafka.TopicCreation;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies the records of a topic whose timestamps fall in a {@link TimeRange} into another topic,
 * partition for partition, with key, value, headers and timestamp unchanged.
 *
 * <p>Why a copy: Kafka Streams reads a topic from committed offsets onwards and has no notion of an
 * end. A private topic holding exactly the range gives the replayed pipeline a start and an end;
 * {@link TopicRangeReader} decides what is in range by each record's own timestamp.
 */
final class EventRangeCopier {
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

  private EventRangeCopier() {}

  /**
   * What was copied.
   *
   * @param scanned records read between the start and end offsets
   * @param copied records whose timestamp was in range, now in the target topic
   */
  record Copied(long scanned, long copied) {}

  /**
   * @param clientConfig bootstrap and security settings
   */
  static Copied copy(
      Map<String, Object> clientConfig, String source, String target, TimeRange range)
      throws IOException {
    createLike(clientConfig, source, target);
    Map<String, Object> producerConfig =
        ClientConfigs.subset(clientConfig, ProducerConfig.configNames());
    producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      TopicRangeReader.ReadSummary summary =
          TopicRangeReader.read(
              clientConfig,
              source,
              range,
              record ->
                  producer.send(
                      new ProducerRecord<>(
                          target,
                          record.partition(),
                          record.timestamp(),
                          record.key(),
                          record.value(),
                          record.headers())));
      producer.flush();
      return new Copied(summary.records() + summary.outOfRange(), summary.records());
    }
  }

  /** Creates {@code target} with as many partitions as {@code source}. */
  private static void createLike(Map<String, Object> clientConfig, String source, String target) {
    try (Admin admin =
        Admin.create(ClientConfigs.subset(clientConfig, AdminClientConfig.configNames()))) {
      int partitions =
          admin
              .describeTopics(List.of(source))
              .allTopicNames()
              .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(source)
              .partitions()
              .size();
      TopicCreation.createAndAwait(
          admin,
          // Replayed records keep their original, possibly old, timestamps: time-based retention
          // would delete them before the replay reads them.
          List.of(
              new NewTopic(target, Optional.of(partitions), Optional.empty())
                  .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))),
          TOPIC_TIMEOUT);
    } catch (ExecutionException e) {
      throw new IllegalArgumentException("topic " + source + " cannot be read: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while creating " + target, e);
    } catch (TimeoutException e) {
      throw new KafkaException("the cluster did not describe " + source + " in time", e);
    }
  }
}
