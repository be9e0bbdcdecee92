package io.recsys.app.pipeline;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.kafka.StreamsConfigFactory;
import io.recsys.features.RocksDBMemoryBudget;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties a {@code TopologyTestDriver} of the pipeline runs with. */
final class DriverConfig {
  private DriverConfig() {}

  static Properties of(RecsysSettings settings, Path stateDir, RocksDBMemoryBudget budget) {
    Properties props = new Properties();
    props.putAll(
        StreamsConfigFactory.build(
            Map.of(
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "unused:9092",
                StreamsConfig.STATE_DIR_CONFIG,
                stateDir.toString()),
            settings.topics(),
            settings.instance().id(),
            budget));
    return props;
  }
}
