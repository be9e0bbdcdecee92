package io.recsys.app.cli;

import io.recsys.app.config.RecsysConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Reads a configuration file ({@code key=value} properties: {@code recsys.*} settings and any Kafka
 * Streams or client setting) and applies environment overrides.
 *
 * <p>An environment variable {@code RECSYS_CONFIG_<NAME>} sets the key {@code <name>} lower-cased
 * with {@code _} turned into {@code .}: {@code RECSYS_CONFIG_BOOTSTRAP_SERVERS} sets {@code
 * bootstrap.servers}, {@code RECSYS_CONFIG_RECSYS_TOPIC_EVENTS} sets {@code recsys.topic.events}.
 */
public final class ConfigFiles {
  public static final String ENV_PREFIX = "RECSYS_CONFIG_";

  private ConfigFiles() {}

  /**
   * The settings of {@code file} (none when null) with the environment's overrides, checked before
   * anything starts ({@link RecsysConfig#validate}).
   *
   * @throws UsageError when the file does not exist or a setting is unknown or invalid, naming the
   *     file and the setting
   */
  public static Map<String, Object> load(Path file, Map<String, String> environment)
      throws IOException {
    Map<String, Object> config = new LinkedHashMap<>();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new UsageError(
            "--config " + file + ": no such file; give the path of a properties file.");
      }
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
    }
    config.putAll(environmentOverrides(environment));
    try {
      RecsysConfig.validate(config);
    } catch (ConfigException e) {
      throw new UsageError(
          (file != null ? file + ": " : "")
              + e.getMessage()
              + " (settings from "
              + (file != null ? "--config and " : "")
              + ENV_PREFIX
              + "* variables; docs/CONFIG.md lists them)");
    }
    return config;
  }

  static Map<String, String> environmentOverrides(Map<String, String> environment) {
    Map<String, String> overrides = new LinkedHashMap<>();
    environment.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            String key =
                name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            overrides.put(key, value);
          }
        });
    return overrides;
  }
}
