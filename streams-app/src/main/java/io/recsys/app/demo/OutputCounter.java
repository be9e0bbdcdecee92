package io.recsys.app.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the pipeline writes to the recommendations and dead-letter topics, from the
 * beginning of both, on its own thread. Reads committed records only, so that under exactly-once
 * it counts what consumers downstream would see.
 */
final class OutputCounter implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String recommendationsTopic;
  private final Thread thread;
  private final AtomicLong recommendations = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong firstRecommendationNanos = new AtomicLong();
  private volatile Exception failure;

  OutputCounter(String bootstrapServers, String recommendationsTopic, String deadLetterTopic) {
    this.recommendationsTopic = recommendationsTopic;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(recommendationsTopic, deadLetterTopic)) {
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::pollUntilClosed, "recsys-demo-output-counter");
    thread.setDaemon(true);
    thread.start();
  }

  private void pollUntilClosed() {
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(recommendationsTopic)) {
            if (recommendations.getAndIncrement() == 0) {
              firstRecommendationNanos.set(System.nanoTime());
            }
          } else {
            deadLetters.incrementAndGet();
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (Exception e) {
      failure = e;
    } finally {
      consumer.close();
    }
  }

  long recommendations() {
    return recommendations.get();
  }

  long deadLetters() {
    return deadLetters.get();
  }

  /** {@link System#nanoTime()} when the first recommendation arrived, or 0. */
  long firstRecommendationNanos() {
    return firstRecommendationNanos.get();
  }

  /** The error that stopped counting, or null. */
  Exception failure() {
    return failure;
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(10_000);
  }
}
