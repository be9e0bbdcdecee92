package io.recsys.app.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The app's own consumers that read by assignment (trainer, model follower, promotion watcher,
 * replay, rollout watch): configured from the streams configuration, joining no group and
 * committing nothing, so they can never disturb the pipeline's consumer group or each other.
 */
public final class Consumers {
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);

  private Consumers() {}

  /**
   * Connection and security settings of {@code clientConfig}, without a group id, without
   * auto-commit, never creating a topic, reading committed records only; the caller may add to it.
   */
  public static Map<String, Object> standaloneConfig(Map<String, ?> clientConfig) {
    Map<String, Object> config = ClientConfigs.subset(clientConfig, ConsumerConfig.configNames());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Reading a topic that is not there must fail, not create it with the broker's defaults (one
    // partition, where the pipeline's topics are co-partitioned).
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return config;
  }

  /** Assigns every partition of {@code topic} to {@code consumer}; returns them. */
  public static List<TopicPartition> assignAll(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    consumer.assign(partitions);
    return partitions;
  }
}
