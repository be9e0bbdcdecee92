package io.recsys.app.cli;

import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.PromotionHistory;
import io.recsys.app.registry.Provenance;
import io.recsys.app.registry.RegisteredModel;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code recsys models list}: the registered versions, oldest first, and which one is live. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List registered model versions, oldest first: when and from what each was made, its"
          + " headline evaluation figures, and which one is live (the last promoted or rolled"
          + " back to, per the registry's promotions.jsonl)."
    })
final class ModelsListCommand implements Callable<Integer> {
  @Mixin RegistryOptions options = new RegistryOptions();
  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    ModelRegistry registry = options.registry();
    List<RegisteredModel> models = registry.list();
    Optional<Integer> live = new PromotionHistory(registry.root()).live();
    String format = "%-8s %-20s %-26s %-45s %10s %8s %8s %s%n";
    System.out.printf(
        format,
        "VERSION",
        "CREATED",
        "SOURCE",
        "DATA RANGE",
        "RECORDS",
        "NDCG@10",
        "HR@10",
        "LIVE");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RegisteredModel model : models) {
      Provenance provenance = model.provenance();
      Optional<Double> ndcg = HeadlineFigures.find(model.evaluation(), "ndcg@10");
      Optional<Double> hr = HeadlineFigures.find(model.evaluation(), "hr@10");
      boolean isLive = live.isPresent() && live.get() == model.version();
      System.out.printf(
          format,
          model.name(),
          time(provenance.createdAt()),
          provenance.source(),
          range(provenance),
          provenance.records(),
          ndcg.map(v -> String.format("%.4f", v)).orElse("-"),
          hr.map(v -> String.format("%.4f", v)).orElse("-"),
          isLive ? "*" : "");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("version", model.version());
      row.put("created_at", provenance.createdAt());
      row.put("source", provenance.source());
      row.put("from_timestamp", provenance.fromTimestamp());
      row.put("to_timestamp", provenance.toTimestamp());
      row.put("records", provenance.records());
      row.put("ndcg_at_10", ndcg.orElse(null));
      row.put("hr_at_10", hr.orElse(null));
      row.put("live", isLive);
      rows.add(row);
    }
    if (models.isEmpty()) {
      System.out.println("(no versions in " + registry.root() + ")");
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", "models list");
    summary.put("registry", registry.root().toString());
    summary.put("live", live.orElse(null));
    summary.put("versions", rows);
    json.print(System.out, summary);
    return 0;
  }

  static String time(long epochMs) {
    return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String range(Provenance provenance) {
    String from = provenance.fromTimestamp() == null ? "start" : time(provenance.fromTimestamp());
    String to = provenance.toTimestamp() == null ? "end offsets" : time(provenance.toTimestamp());
    return from + " .. " + to;
  }
}
