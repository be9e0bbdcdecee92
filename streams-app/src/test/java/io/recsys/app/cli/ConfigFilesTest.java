package io.recsys.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  @TempDir Path dir;

  @Test
  void shouldLetEnvironmentOverrideTheFile() throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nrecsys.recommendations.k=5\n");

    Map<String, Object> config =
        ConfigFiles.load(
            file,
            Map.of(
                "RECSYS_CONFIG_BOOTSTRAP_SERVERS", "env:9092",
                "RECSYS_CONFIG_RECSYS_TOPIC_EVENTS", "clicks",
                "HOME", "/root"));

    assertThat(config)
        .containsEntry("bootstrap.servers", "env:9092")
        .containsEntry("recsys.recommendations.k", "5")
        .containsEntry("recsys.topic.events", "clicks")
        .hasSize(3);
  }
}
