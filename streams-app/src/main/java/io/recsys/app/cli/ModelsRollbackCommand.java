package io.recsys.app.cli;

import io.recsys.app.registry.ModelRefusedException;
import io.recsys.app.registry.Rollout;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code recsys models rollback}: re-publishes the version live before the current one. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Return to the registry version that was live before the current one (per the registry's"
          + " promotions.jsonl), published the same way as 'promote' and recorded in the history.",
      "With no earlier version promoted, nothing is published; exit status 1."
    })
final class ModelsRollbackCommand implements Callable<Integer> {
  private static final String COMMAND = "models rollback";

  @Mixin RegistryOptions options = new RegistryOptions();
  @Mixin RolloutOptions rollout = new RolloutOptions();
  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    Rollout.Result result;
    try {
      result =
          new Rollout(options.registry(), options.settings(), options.config())
              .rollback(rollout.waitFor());
    } catch (ModelRefusedException
        | IllegalArgumentException
        | IllegalStateException
        | KafkaException e) {
      return CommandErrors.fail(json, COMMAND, e.getMessage());
    }
    json.print(System.out, rollout.report(COMMAND, result));
    return rollout.status(result);
  }
}
