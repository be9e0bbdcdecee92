package io.recsys.app.demo;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.metrics.RunDistribution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what the pipeline writes to the recommendations and dead-letter topics, from the beginning
 * of both, on its own thread. Reads committed records only, so that under exactly-once it counts
 * what consumers downstream would see.
 *
 * <p>Also times each recommendation's delivery: from its triggering event's record timestamp (which
 * the recommendation record carries) to this consumer receiving it. The pipeline's own latency
 * stops when the list is computed; this one includes the producer's send and, under exactly-once,
 * the wait for the transaction to commit, which is what a consumer downstream sees and what the
 * exactly-once latency goal is about.
 */
final class OutputCounter implements AutoCloseable {
  static final String DELIVERY_LATENCY = "recsys.demo.delivery.latency";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String recommendationsTopic;
  private final Thread thread;
  private final AtomicLong recommendations = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong firstRecommendationNanos = new AtomicLong();
  private final Timer delivered;
  private final RunDistribution deliveredOverRun = new RunDistribution();
  private volatile Exception failure;

  /**
   * @param registry where the delivery latency of the last ~30 s is published, as {@value
   *     #DELIVERY_LATENCY}
   */
  OutputCounter(
      String bootstrapServers,
      String recommendationsTopic,
      String deadLetterTopic,
      MeterRegistry registry) {
    this.recommendationsTopic = recommendationsTopic;
    this.delivered =
        PipelineMetrics.latencyTimer(
            DELIVERY_LATENCY,
            "Time from an event's record timestamp to its recommendation reaching a"
                + " read_committed consumer of the recommendations topic (demo only)",
            registry);
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
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
            long millis = System.currentTimeMillis() - record.timestamp();
            delivered.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
            deliveredOverRun.record(millis);
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

  /** Delivery latency percentile (0.5 or 0.99) over the last ~30 s, in ms; NaN when empty. */
  double deliveredPercentileMillis(double percentile) {
    return PipelineMetrics.publishedPercentileMillis(delivered, percentile);
  }

  /** Delivery latency of every recommendation received, in ms. */
  RunDistribution deliveredOverRun() {
    return deliveredOverRun;
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
