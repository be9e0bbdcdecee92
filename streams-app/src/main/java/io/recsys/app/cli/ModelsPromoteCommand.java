package io.recsys.app.cli;

import io.recsys.app.registry.ModelRefusedException;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.Rollout;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code recsys models promote V}: publishes a registry version to live serving and training. */
@Command(
    name = "promote",
    mixinStandardHelpOptions = true,
    description = {
      "Check a registered version against the configuration (its checkpoint must load; its"
          + " sequence length must match recsys.model.sequence.length) and publish its full"
          + " checkpoint to model-updates as v<N>. Every serving instance switches to it without a"
          + " restart and the online trainer continues from it, publishing v<N>+<updates>.",
      "A refused version publishes nothing; exit status 1."
    })
final class ModelsPromoteCommand implements Callable<Integer> {
  private static final String COMMAND = "models promote";

  @Parameters(index = "0", paramLabel = "VERSION", description = "The version: 3 or v3.")
  String version;

  @Mixin RegistryOptions options = new RegistryOptions();
  @Mixin RolloutOptions rollout = new RolloutOptions();
  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    Rollout.Result result;
    try {
      int number = ModelRegistry.parseVersion(version);
      result =
          new Rollout(options.registry(), options.settings(), options.config())
              .promote(number, rollout.waitFor());
    } catch (ModelRefusedException | IllegalArgumentException | KafkaException e) {
      return CommandErrors.fail(json, COMMAND, e.getMessage());
    }
    json.print(System.out, rollout.report(COMMAND, result));
    return rollout.status(result);
  }
}
