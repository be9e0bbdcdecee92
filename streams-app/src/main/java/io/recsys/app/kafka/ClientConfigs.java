package io.recsys.app.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Derives the configuration of the app's own Kafka clients (admin, trainer, model follower, metrics
 * publisher, dashboard feed) from the streams configuration, so that connection and security
 * settings are given once.
 */
public final class ClientConfigs {
  private ClientConfigs() {}

  /**
   * The entries of {@code config} that a client with these config {@code names} understands (for
   * example {@code ConsumerConfig.configNames()}), as a new mutable map the caller completes.
   */
  public static Map<String, Object> subset(Map<String, ?> config, Set<String> names) {
    Map<String, Object> subset = new HashMap<>();
    config.forEach(
        (key, value) -> {
          if (value != null && names.contains(key)) {
            subset.put(key, value);
          }
        });
    return subset;
  }
}
