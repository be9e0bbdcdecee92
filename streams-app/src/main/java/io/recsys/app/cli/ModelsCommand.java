package io.recsys.app.cli;

import picocli.CommandLine.Command;

/** {@code recsys models}: the model registry and the rollout of its versions. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List and inspect registered model versions; promote one to live serving and online"
          + " training, or roll back to the one live before.",
      "Every subcommand takes --config FILE (as for 'run') and --json."
    },
    subcommands = {
      ModelsListCommand.class,
      ModelsShowCommand.class,
      ModelsPromoteCommand.class,
      ModelsRollbackCommand.class
    })
final class ModelsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Without a subcommand there is nothing to do: a usage error, as in every other command. */
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: list, show, promote or rollback");
  }
}
