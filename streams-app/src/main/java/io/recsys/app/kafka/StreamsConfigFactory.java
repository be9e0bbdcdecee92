package io.recsys.app.kafka;

import io.recsys.app.config.RecsysSettings;
import io.recsys.features.BoundedMemoryRocksDBConfig;
import io.recsys.features.RocksDBMemoryBudget;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of the pipeline: our defaults, then every non-{@code recsys.} key
 * the user gave (which wins), then the objects the app must own.
 */
public final class StreamsConfigFactory {
  public static final String DEFAULT_APPLICATION_ID = "recsys";

  /**
   * How long the group waits for a silent member before its partitions move: the longest gap a dead
   * instance leaves in its partitions' recommendations. The smallest a broker accepts by default
   * ({@code group.min.session.timeout.ms}); the heartbeat thread runs apart from processing, so
   * only a process stalled this long (a pause of the whole JVM) loses its partitions.
   */
  static final int SESSION_TIMEOUT_MS = 6_000;

  static final int HEARTBEAT_INTERVAL_MS = 1_500;

  /**
   * Under exactly-once: how long a transaction may stay open. A killed instance's last transaction
   * blocks read_committed readers of the partitions it wrote until the coordinator aborts it after
   * this (and its cleanup interval); Kafka Streams' 10 s would outlast the session timeout. A
   * transaction normally lives one commit interval (100 ms).
   */
  static final int TRANSACTION_TIMEOUT_MS = 5_000;

  private StreamsConfigFactory() {}

  /**
   * @param topics where {@code retentionMs} bounds how long a deleted user's records may wait for
   *     compaction on the changelogs Kafka Streams creates
   * @param instanceId {@code recsys.instance.id} ({@link StaticMembership})
   */
  public static Map<String, Object> build(
      Map<String, ?> userConfig,
      RecsysSettings.Topics topics,
      String instanceId,
      RocksDBMemoryBudget budget) {
    Map<String, Object> config = new HashMap<>();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    // Recommendations are wanted within milliseconds: commit and flush often.
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    config.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    if (topics.retentionMs() > 0) {
      // A store's delete is a tombstone on its changelog; the records it replaces stay on the log
      // until compaction, which this bounds.
      config.put(
          StreamsConfig.topicPrefix(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG),
          topics.retentionMs());
    }
    // A warm copy of every task's state on another instance: a dead instance's tasks resume there
    // without restoring from the changelogs, and queries can read it meanwhile. With one instance
    // there is nowhere to put it (Kafka Streams warns per task at each rebalance).
    config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    userConfig.forEach(
        (key, value) -> {
          if (!key.startsWith("recsys.")) {
            config.put(key, value);
          }
        });
    if (StreamsConfig.EXACTLY_ONCE_V2.equals(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        && !config.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)
        && !config.containsKey(
            StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG))) {
      config.put(
          StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
          TRANSACTION_TIMEOUT_MS);
    }
    defaultMainConsumer(config, ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    defaultMainConsumer(config, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
    StaticMembership.instanceId(instanceId, stateDir(config))
        .ifPresent(id -> defaultMainConsumer(config, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
    config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
    config.put(RocksDBMemoryBudget.CONFIG_KEY, budget);
    return config;
  }

  /**
   * Sets the main consumer's {@code key} unless the user set it in any form: a prefixed key would
   * otherwise beat the user's plain one.
   */
  private static void defaultMainConsumer(Map<String, Object> config, String key, Object value) {
    if (!config.containsKey(key)
        && !config.containsKey(StreamsConfig.consumerPrefix(key))
        && !config.containsKey(StreamsConfig.mainConsumerPrefix(key))) {
      config.put(StreamsConfig.mainConsumerPrefix(key), value);
    }
  }

  /** The state directory of {@code streamsConfig}: {@code state.dir}, or Kafka Streams' default. */
  public static Path stateDir(Map<String, ?> streamsConfig) {
    Object stateDir = streamsConfig.get(StreamsConfig.STATE_DIR_CONFIG);
    return stateDir != null
        ? Path.of(stateDir.toString())
        : Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams");
  }
}
