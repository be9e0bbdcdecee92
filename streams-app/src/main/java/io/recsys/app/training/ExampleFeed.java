package io.recsys.app.training;

import io.recsys.app.kafka.Consumers;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.TrainingExampleRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The trainer's reader of {@code training-examples}: every partition assigned (no consumer group;
 * the offsets live in the trainer's checkpoint), committed examples only, handed out in timestamp
 * order across partitions ({@link TimestampMerge}). Used by the trainer's thread alone, except
 * {@link #wakeup()}.
 */
final class ExampleFeed implements AutoCloseable {
  private final KafkaConsumer<String, TrainingExampleRecord> consumer;
  private final List<TopicPartition> partitions;
  private final TimestampMerge<String, TrainingExampleRecord> merge;
  private long newestTimestamp = Long.MIN_VALUE;

  /**
   * @param start the next offset to read per partition; partitions absent from it start at the
   *     beginning
   * @param holdNanos how long a partition that is behind may hold back the others (the micro-batch
   *     wait)
   */
  ExampleFeed(
      Map<String, Object> clientConfig, String topic, Map<Integer, Long> start, long holdNanos) {
    Map<String, Object> config = Consumers.standaloneConfig(clientConfig);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    this.consumer =
        new KafkaConsumer<>(
            config, new StringDeserializer(), SchemaSerdes.trainingExample().deserializer());
    try {
      this.partitions = Consumers.assignAll(consumer, topic);
      for (TopicPartition partition : partitions) {
        Long offset = start.get(partition.partition());
        if (offset == null) {
          consumer.seekToBeginning(List.of(partition));
        } else {
          consumer.seek(partition, offset);
        }
      }
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    this.merge = new TimestampMerge<>(partitions, holdNanos);
  }

  /** Reads what the broker has, waiting up to {@code timeout}. */
  void poll(Duration timeout) {
    for (var record : consumer.poll(timeout)) {
      merge.add(record);
      newestTimestamp = Math.max(newestTimestamp, record.timestamp());
    }
  }

  /** The next example in timestamp order, or null while none may be released yet. */
  ConsumerRecord<String, TrainingExampleRecord> next() {
    return merge.next(this::caughtUp, System.nanoTime());
  }

  /** Examples on the topic beyond {@code next} (the next offset to train, per partition). */
  long lag(Map<Integer, Long> next) {
    long lag = 0;
    for (var entry : consumer.endOffsets(partitions).entrySet()) {
      lag += Math.max(0, entry.getValue() - next.getOrDefault(entry.getKey().partition(), 0L));
    }
    return lag;
  }

  /**
   * The newest timestamp the feed holds for certain: that of the newest example read, or {@code
   * nowMs} while some partition still has examples the consumer has not read (they are newer than
   * those read of that partition, and the topic's records are stamped when they are made).
   */
  long headTimestamp(long nowMs) {
    for (TopicPartition partition : partitions) {
      if (!caughtUp(partition)) {
        return nowMs;
      }
    }
    return newestTimestamp;
  }

  /** Whether the consumer has read everything the partition holds right now. */
  private boolean caughtUp(TopicPartition partition) {
    OptionalLong lag = consumer.currentLag(partition);
    return lag.isPresent() && lag.getAsLong() == 0;
  }

  /** Makes a blocked {@link #poll} throw {@code WakeupException}; safe from any thread. */
  void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
