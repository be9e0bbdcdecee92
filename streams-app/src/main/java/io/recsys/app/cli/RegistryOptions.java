package io.recsys.app.cli;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.registry.ModelRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option of the {@code models} subcommands: the same file as {@code run}
 * (broker address, topics, {@code recsys.registry.dir}), with the same environment overrides.
 */
final class RegistryOptions {
  @Option(
      names = "--config",
      description =
          "Properties file as for 'run' (bootstrap.servers, topics, recsys.registry.dir);"
              + " RECSYS_CONFIG_<KEY> environment variables override it.")
  Path configFile;

  private Map<String, Object> config;

  Map<String, Object> config() throws IOException {
    if (config == null) {
      config = ConfigFiles.load(configFile, System.getenv());
    }
    return config;
  }

  RecsysSettings settings() throws IOException {
    return RecsysConfig.parse(config());
  }

  ModelRegistry registry() throws IOException {
    return new ModelRegistry(Path.of(settings().instance().registryDir()));
  }
}
