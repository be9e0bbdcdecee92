package io.recsys.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.features.RocksDBMemoryBudget;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsConfigFactoryTest {
  private static final String MAIN_INSTANCE_ID =
      StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
  private static final String MAIN_SESSION_TIMEOUT =
      StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);

  @TempDir Path dir;
  private final RocksDBMemoryBudget budget = new RocksDBMemoryBudget(1 << 20);

  @AfterEach
  void close() {
    budget.close();
  }

  private Map<String, Object> build(Map<String, Object> user) {
    Map<String, Object> config = new HashMap<>(user);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.putIfAbsent(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("a").toString());
    RecsysSettings settings = RecsysConfig.parse(config);
    return StreamsConfigFactory.build(config, settings.topics(), settings.instance().id(), budget);
  }

  @Test
  void shouldJoinAsAStaticMemberNamedByHostAndStateDirectoryWithAStandbyAndAShortSession() {
    Map<String, Object> a = build(Map.of());
    Map<String, Object> again = build(Map.of());
    Map<String, Object> b =
        build(Map.of(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("b").toString()));

    assertThat(a.get(MAIN_INSTANCE_ID))
        .as("stable across restarts")
        .isEqualTo(again.get(MAIN_INSTANCE_ID));
    assertThat(a.get(MAIN_INSTANCE_ID))
        .as("unique per state directory")
        .isNotEqualTo(b.get(MAIN_INSTANCE_ID));
    assertThat(a).containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    assertThat(a).containsEntry(MAIN_SESSION_TIMEOUT, StreamsConfigFactory.SESSION_TIMEOUT_MS);
  }

  @Test
  void shouldShortenTransactionsUnderExactlyOnceOnlyUnlessTheUserSetsThem() {
    String producerTimeout =
        StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
    assertThat(build(Map.of())).doesNotContainKey(producerTimeout);
    Map<String, Object> eos = Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2");
    assertThat(build(eos))
        .containsEntry(producerTimeout, StreamsConfigFactory.TRANSACTION_TIMEOUT_MS);
    Map<String, Object> own = new HashMap<>(eos);
    own.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "20000");
    assertThat(build(own)).doesNotContainKey(producerTimeout);
  }

  @Test
  void shouldLetTheUserNameTheInstanceOrTurnStaticMembershipOffOrSetTheSession() {
    assertThat(build(Map.of(RecsysConfig.INSTANCE_ID_CONFIG, "serving-1")))
        .containsEntry(MAIN_INSTANCE_ID, "serving-1");
    assertThat(build(Map.of(RecsysConfig.INSTANCE_ID_CONFIG, StaticMembership.DYNAMIC)))
        .doesNotContainKey(MAIN_INSTANCE_ID);
    Map<String, Object> plain =
        build(
            Map.of(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "mine",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"));
    assertThat(plain)
        .as("a prefixed default would beat the user's plain key")
        .doesNotContainKeys(MAIN_INSTANCE_ID, MAIN_SESSION_TIMEOUT)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
  }
}
