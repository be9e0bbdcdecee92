package io.recsys.app.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Checks that every key of a configuration without the {@code recsys.} prefix is one a Kafka client
 * or Kafka Streams knows, so that a typo ({@code bootstrap.server}) is named where it is made
 * instead of surfacing later as a missing {@code bootstrap.servers}.
 */
public final class KafkaKeys {
  /** Prefixes Kafka Streams passes on to one client, with that client's keys after them. */
  private static final Map<String, Set<String>> CLIENT_PREFIXES =
      Map.of(
          StreamsConfig.CONSUMER_PREFIX, ConsumerConfig.configNames(),
          StreamsConfig.MAIN_CONSUMER_PREFIX, ConsumerConfig.configNames(),
          StreamsConfig.RESTORE_CONSUMER_PREFIX, ConsumerConfig.configNames(),
          StreamsConfig.GLOBAL_CONSUMER_PREFIX, ConsumerConfig.configNames(),
          StreamsConfig.PRODUCER_PREFIX, ProducerConfig.configNames(),
          StreamsConfig.ADMIN_CLIENT_PREFIX, AdminClientConfig.configNames());

  private static final Set<String> KNOWN = known();

  /** A config provider's own keys ({@code config.providers.file.class}) are named by the user. */
  private static final String CONFIG_PROVIDERS_PREFIX = "config.providers.";

  private KafkaKeys() {}

  private static Set<String> known() {
    Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return Set.copyOf(names);
  }

  /**
   * @throws ConfigException naming the first key no Kafka client knows, and the closest known one
   */
  public static void check(Map<?, ?> config) {
    for (Object raw : config.keySet()) {
      String key = String.valueOf(raw);
      if (key.startsWith(RecsysConfig.PREFIX)
          || key.startsWith(StreamsConfig.TOPIC_PREFIX)
          || key.startsWith(CONFIG_PROVIDERS_PREFIX)
          || known(key)) {
        continue;
      }
      throw new ConfigException(
          "unknown setting '"
              + key
              + "': no Kafka client or Kafka Streams setting has this name"
              + Suggestions.didYouMean(key, KNOWN));
    }
  }

  private static boolean known(String key) {
    if (KNOWN.contains(key)) {
      return true;
    }
    for (var prefix : CLIENT_PREFIXES.entrySet()) {
      if (key.startsWith(prefix.getKey())) {
        return prefix.getValue().contains(key.substring(prefix.getKey().length()));
      }
    }
    return false;
  }
}
