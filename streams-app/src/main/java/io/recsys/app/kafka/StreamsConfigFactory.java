package io.recsys.app.kafka;

import io.recsys.app.config.RecsysSettings;
import io.recsys.features.BoundedMemoryRocksDBConfig;
import io.recsys.features.RocksDBMemoryBudget;
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

  private StreamsConfigFactory() {}

  /**
   * @param topics where {@code retentionMs} bounds how long a deleted user's records may wait for
   *     compaction on the changelogs Kafka Streams creates
   */
  public static Map<String, Object> build(
      Map<String, ?> userConfig, RecsysSettings.Topics topics, RocksDBMemoryBudget budget) {
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
    userConfig.forEach(
        (key, value) -> {
          if (!key.startsWith("recsys.")) {
            config.put(key, value);
          }
        });
    config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class);
    config.put(RocksDBMemoryBudget.CONFIG_KEY, budget);
    return config;
  }
}
