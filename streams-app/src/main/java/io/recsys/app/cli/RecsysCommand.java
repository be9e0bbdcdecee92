package io.recsys.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/recsys}: the command-line entry point. Wiring only; each subcommand does one job. */
@Command(
    name = "recsys",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A streaming online-learning recommender on Kafka Streams.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      EvaluateCommand.class,
      ReplayCommand.class,
      RetrainCommand.class,
      ConfigCommand.class,
      ModelsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RecsysCommand {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@code main} and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new RecsysCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
