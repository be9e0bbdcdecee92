package io.recsys.app.replay;

import io.recsys.app.ClientConfigs;
import io.recsys.app.broker.TopicCreation;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Copies the records of a topic whose timestamps fall in {@code [from, to)} into another topic,
 * partition for partition, with key, value, headers and timestamp unchanged.
 *
 * <p>Why a copy: Kafka Streams reads a topic from committed offsets onwards and has no notion of
 * an end. A private topic holding exactly the range gives the replayed pipeline a start and an end,
 * and keeps records whose timestamps are out of order (producer-set times) in or out of range by
 * their own timestamp, not by their neighbours'. The scan runs from the first offset at or after
 * {@code from} to the end offsets taken when the copy starts, so records appended meanwhile are
 * not part of it.
 */
final class EventRangeCopier {
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);

  private EventRangeCopier() {}

  /**
   * What was copied.
   *
   * @param scanned records read between the start and end offsets
   * @param copied records whose timestamp was in range, now in the target topic
   * @param partitions partitions of the source (and of the target)
   */
  record Copied(long scanned, long copied, int partitions) {}

  /**
   * @param clientConfig bootstrap and security settings
   * @param progress told the number of records scanned so far, now and then
   */
  static Copied copy(
      Map<String, Object> clientConfig,
      String source,
      String target,
      long from,
      long to,
      LongConsumer progress) {
    Map<String, Object> consumerConfig =
        ClientConfigs.subset(clientConfig, ConsumerConfig.configNames());
    consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Map<String, Object> producerConfig =
        ClientConfigs.subset(clientConfig, ProducerConfig.configNames());
    producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(
                consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(source, TOPIC_TIMEOUT).stream()
              .map(info -> new TopicPartition(source, info.partition()))
              .toList();
      if (partitions.isEmpty()) {
        throw new IllegalArgumentException("topic " + source + " does not exist");
      }
      createTarget(clientConfig, target, partitions.size());
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> starts = startOffsets(consumer, partitions, from, ends);
      consumer.assign(partitions);
      starts.forEach(consumer::seek);
      long scanned = 0;
      long copied = 0;
      Map<TopicPartition, Long> remaining = new HashMap<>();
      partitions.forEach(
          p -> {
            if (starts.get(p) < ends.get(p)) {
              remaining.put(p, ends.get(p));
            }
          });
      while (!remaining.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          Long end = remaining.get(partition);
          if (end == null || record.offset() >= end) {
            continue;
          }
          scanned++;
          if (record.timestamp() >= from && record.timestamp() < to) {
            producer.send(
                new ProducerRecord<>(
                    target,
                    record.partition(),
                    record.timestamp(),
                    record.key(),
                    record.value(),
                    record.headers()));
            copied++;
          }
        }
        // Positions, not record offsets: transaction markers and compacted gaps have no record.
        for (TopicPartition partition : List.copyOf(remaining.keySet())) {
          if (consumer.position(partition) >= remaining.get(partition)) {
            remaining.remove(partition);
          }
        }
        progress.accept(scanned);
      }
      producer.flush();
      return new Copied(scanned, copied, partitions.size());
    }
  }

  private static Map<TopicPartition, Long> startOffsets(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      long from,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, from));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TOPIC_TIMEOUT);
    Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
    Map<TopicPartition, Long> starts = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp at = found.get(partition);
      // No record at or after `from`: nothing to read in this partition.
      long start = at == null ? ends.get(partition) : at.offset();
      starts.put(partition, Math.max(start, beginnings.get(partition)));
    }
    return starts;
  }

  private static void createTarget(Map<String, Object> clientConfig, String topic, int partitions) {
    try (Admin admin =
        Admin.create(ClientConfigs.subset(clientConfig, AdminClientConfig.configNames()))) {
      TopicCreation.createAndAwait(
          admin,
          // Replayed records keep their original, possibly old, timestamps: time-based retention
          // would delete them before the replay reads them.
          List.of(
              new NewTopic(topic, Optional.of(partitions), Optional.empty())
                  .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"))),
          TOPIC_TIMEOUT);
    }
  }
}
