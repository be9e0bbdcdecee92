package io.recsys.app.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.PromotionHistory;
import io.recsys.app.registry.RegisteredModel;
import io.recsys.schemas.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code recsys models show V}: one version's provenance and evaluation. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show one registered version's provenance and evaluation report.")
final class ModelsShowCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "VERSION", description = "The version: 3 or v3.")
  String version;

  @Mixin RegistryOptions options = new RegistryOptions();
  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    int number;
    try {
      number = ModelRegistry.parseVersion(version);
    } catch (IllegalArgumentException e) {
      return CommandErrors.fail(json, "models show", e.getMessage());
    }
    ModelRegistry registry = options.registry();
    var found = registry.get(number);
    if (found.isEmpty()) {
      return CommandErrors.fail(
          json, "models show", "model v" + number + " is not in the registry " + registry.root());
    }
    RegisteredModel model = found.get();
    boolean live = new PromotionHistory(registry.root()).live().orElse(-1) == number;
    var pretty = Json.newMapper().enable(SerializationFeature.INDENT_OUTPUT);
    System.out.println(model.name() + (live ? " (live)" : "") + "  " + model.directory());
    System.out.println("checkpoint: " + model.checkpoint());
    System.out.println("provenance:");
    System.out.println(pretty.writeValueAsString(model.provenance()));
    System.out.println("evaluation:");
    System.out.println(pretty.writeValueAsString(model.evaluation()));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", "models show");
    summary.put("version", number);
    summary.put("live", live);
    summary.put("provenance", model.provenance());
    summary.put("evaluation", model.evaluation());
    json.print(System.out, summary);
    return 0;
  }
}
