package io.recsys.app.cli;

import io.recsys.app.history.TimeRange;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.replay.Replay;
import io.recsys.app.replay.ReplayRequest;
import io.recsys.app.replay.ReplayResult;
import io.recsys.schemas.MetricsRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recsys replay}: a time range of {@code events} through the pipeline into another topic.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Replay the events of a time range through the whole pipeline (fresh features, one fixed"
          + " model version) and write its recommendations to a topic of your choosing, for"
          + " dashboards and comparisons. The live application, its state and its topics are"
          + " left alone.",
      "Times are ISO-8601 instants (2026-11-01T00:00:00Z) or epoch milliseconds and select by"
          + " record timestamp: --from inclusive, --to exclusive."
    })
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      description = "The live application's properties file (broker, topics, registry).")
  Path configFile;

  @Option(
      names = "--from",
      required = true,
      description = "First record timestamp to replay (inclusive).")
  String from;

  @Option(
      names = "--to",
      description = "Stop before this record timestamp (default: the topic's end at start).")
  String to;

  @Option(
      names = "--output-topic",
      required = true,
      description = "Where the replayed recommendations go; must not be a live topic.")
  String outputTopic;

  @Option(
      names = "--model",
      defaultValue = "live",
      description =
          "live (the newest version on model-updates now), none (no learned model: co-occurrence,"
              + " popularity and their blend) or a registry"
              + " version such as v3. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(
      names = "--timeout",
      defaultValue = "PT2H",
      description = "Longest the replayed pipeline may run (ISO-8601). Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    ReplayRequest request;
    try {
      request = new ReplayRequest(TimeRange.parse(from, to), outputTopic, modelChoice(model));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Map<String, Object> config = ConfigFiles.load(configFile, System.getenv());
    ReplayResult result;
    try {
      result = Replay.run(config, request, timeout, out::println);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    out.printf(
        "replayed %,d events in %.1f s (%.0f events/s) with %s: %,d recommendations to %s, %,d"
            + " dead letters; prequential HR@10 model %.4f vs popularity %.4f, NDCG@10 %.4f vs"
            + " %.4f%n",
        result.eventsReplayed(),
        result.seconds(),
        result.eventsPerSecond(),
        result.modelVersion(),
        result.recommendations(),
        outputTopic,
        result.deadLetters(),
        result.model().hitRate10(),
        result.popularity().hitRate10(),
        result.model().ndcg10(),
        result.popularity().ndcg10());
    json.print(out, figures(request, result));
    return 0;
  }

  static ReplayRequest.ModelChoice modelChoice(String text) {
    return switch (text) {
      case "live" -> new ReplayRequest.LiveModel();
      case "none" -> new ReplayRequest.NoModel();
      default -> {
        try {
          yield new ReplayRequest.RegistryModel(ModelRegistry.parseVersion(text));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "--model: expected live, none or a registry version such as v3, got '" + text + "'");
        }
      }
    };
  }

  private static Map<String, Object> figures(ReplayRequest request, ReplayResult result) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("command", "replay");
    TimeRange range = request.range();
    f.put("from", Instant.ofEpochMilli(range.fromMs()).toString());
    f.put("to", range.toMs() == null ? null : Instant.ofEpochMilli(range.toMs()).toString());
    f.put("output_topic", request.outputTopic());
    f.put("model_version", result.modelVersion());
    f.put("events_scanned", result.eventsScanned());
    f.put("events_replayed", result.eventsReplayed());
    f.put("recommendations", result.recommendations());
    f.put("dead_letters", result.deadLetters());
    f.put("seconds", result.seconds());
    f.put("events_per_s", result.eventsPerSecond());
    f.put("model", quality(result.model()));
    f.put("popularity", quality(result.popularity()));
    return f;
  }

  private static Map<String, Object> quality(MetricsRecord.Quality q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("events", q.events());
    m.put("hr10", q.hitRate10());
    m.put("ndcg10", q.ndcg10());
    return m;
  }
}
