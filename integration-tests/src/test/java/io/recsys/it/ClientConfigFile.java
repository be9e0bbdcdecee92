package io.recsys.it;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration file a command such as {@code forget} or {@code produce} takes to reach a
 * running deployment: the broker address and the topic names of the deployment's configuration.
 */
final class ClientConfigFile {
  private ClientConfigFile() {}

  static Path write(Map<String, Object> config, Path file) throws IOException {
    Properties properties = new Properties();
    config.forEach(
        (key, value) -> {
          if (key.startsWith("recsys.topic.")
              || key.equals(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            properties.setProperty(key, value.toString());
          }
        });
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      properties.store(writer, null);
    }
    return file;
  }
}
