package io.recsys.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

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
      ForgetCommand.class,
      ProduceCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RecsysCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "With an error message, print its stack trace too.")
  boolean verbose;

  /** {@code recsys} alone: a usage error, as in every command. */
  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: demo, run, evaluate, retrain, replay, models, forget or config");
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@code main} and the tests. */
  public static CommandLine commandLine() {
    ErrorReporter errors = new ErrorReporter();
    return new CommandLine(new RecsysCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(errors)
        .setExecutionExceptionHandler(errors);
  }
}
