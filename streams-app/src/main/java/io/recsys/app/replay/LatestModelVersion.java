package io.recsys.app.replay;

import io.recsys.app.kafka.Consumers;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.modelsync.ModelUpdates.Assembled;
import io.recsys.app.modelsync.VersionChain;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the newest complete model version on the {@code model-updates} topic as of now: what a
 * serving instance would be serving once caught up. A replay scores every event with this one
 * version, so that its output does not depend on how fast it runs against a moving trainer.
 */
final class LatestModelVersion {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private LatestModelVersion() {}

  /**
   * The newest version: the last snapshot on the topic with the deltas after it applied.
   *
   * @throws IOException if that version does not load
   */
  static Optional<VersionChain.Built> read(Map<String, Object> clientConfig, String topic)
      throws IOException {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            ModelUpdates.consumerConfig(clientConfig),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = Consumers.assignAll(consumer, topic);
      Map<TopicPartition, Long> remaining = new HashMap<>(consumer.endOffsets(partitions));
      consumer.seekToBeginning(partitions);
      ModelUpdates.Assembler assembler = new ModelUpdates.Assembler();
      VersionChain chain = new VersionChain();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!remaining.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end within " + TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Optional<Assembled> complete = assembler.add(record);
          if (complete.isPresent()) {
            chain.add(complete.get(), null);
          }
        }
        remaining.keySet().removeIf(p -> consumer.position(p) >= remaining.get(p));
      }
      return chain.build(null);
    }
  }
}
