package io.recsys.app.cli;

import io.recsys.app.config.RecsysConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints every {@code recsys.*} setting with its default and meaning (the README's table). */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print every recsys.* setting as a Markdown table.")
final class ConfigCommand implements Callable<Integer> {
  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() {
    System.out.print(RecsysConfig.markdownTable());
    json.print(System.out, Map.of("settings", RecsysConfig.CONFIG_DEF.names().size()));
    return 0;
  }
}
