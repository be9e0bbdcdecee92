package io.recsys.app.cli;

import io.recsys.app.broker.EmbeddedKafkaBroker;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.eventfiles.EventHistories;
import io.recsys.app.history.TimeRange;
import io.recsys.app.retrain.EventTopicLoader;
import io.recsys.app.retrain.Retrain;
import io.recsys.app.retrain.RetrainProtocol;
import io.recsys.app.retrain.RetrainRequest;
import io.recsys.app.retrain.RetrainResult;
import io.recsys.app.retrain.RetrainSource;
import io.recsys.model.BackendInfo;
import io.recsys.model.evaluation.EvaluationSettings;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recsys retrain}: trains a model offline on a range of a topic and registers it as a new
 * numbered version. Reading is side-effect free for the live application (see {@link Retrain}).
 */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    description = {
      "Retrain the model from history in Kafka and register it as a new version.",
      "Reads events (validated again; features rebuilt in a fresh state directory) or"
          + " training-examples over a time range, trains with early stopping on a split by time"
          + " (or evaluate's leave-one-out), and writes checkpoint, provenance and evaluation to"
          + " the model registry (recsys.registry.dir)."
    })
public final class RetrainCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RetrainCommand.class);

  @Spec CommandSpec spec;

  @Mixin JsonSummary json = new JsonSummary();

  @Mixin TrainingOptions training = new TrainingOptions();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Properties file: bootstrap.servers and client settings, recsys.topic.*,"
              + " recsys.registry.dir, state.dir; RECSYS_CONFIG_<KEY> variables override it.")
  Path configFile;

  @Option(
      names = "--source",
      defaultValue = "events",
      description = "events or training-examples. Default: ${DEFAULT-VALUE}.")
  String source;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "First record timestamp included: ISO-8601 (2003-01-01T00:00:00Z) or epoch ms."
              + " Default: the topic's beginning.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description =
          "First record timestamp excluded: ISO-8601 or epoch ms. Default: the end offsets when"
              + " the read starts.")
  String to;

  @Option(
      names = "--protocol",
      defaultValue = "time",
      description =
          "time: hold out the last --validation-fraction of the window's event-time span;"
              + " loo: exactly evaluate's leave-one-out on the records read. Default:"
              + " ${DEFAULT-VALUE}.")
  String protocol;

  @Option(
      names = "--validation-fraction",
      defaultValue = "0.1",
      description =
          "Share of the window's event-time span held out (protocol time). Default:"
              + " ${DEFAULT-VALUE}.")
  double validationFraction;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "New or empty directory for the rebuilt features, kept afterwards. Default: a"
              + " <state.dir>/retrain-<time> directory, deleted afterwards.")
  Path workDir;

  @Option(
      names = "--load",
      paramLabel = "SOURCE",
      description =
          "Benchmark: start an embedded Kafka broker, write the events of movielens:DIR or"
              + " file:PATH (see --columns) into its events topic (recsys.topic.partitions"
              + " partitions), then retrain from it.")
  String load;

  @Mixin EventFileOptions eventFile = new EventFileOptions();

  @Override
  public Integer call() throws Exception {
    if (configFile == null && load == null) {
      throw new ParameterException(
          spec.commandLine(), "--config FILE is required (or --load movielens:DIR)");
    }
    Map<String, Object> config = ConfigFiles.load(configFile, System.getenv());
    RecsysSettings settings = RecsysConfig.parse(config);
    RetrainRequest request = request();
    LOG.info("ND4J backend: {}", BackendInfo.describe());
    if (load == null) {
      return retrain(config, settings, request);
    }
    DataSourceArgument.history("--load", load, "");
    var events = EventHistories.read(load, eventFile.mapping());
    Path brokerDir = Files.createTempDirectory("recsys-retrain-broker-");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder(brokerDir).deleteDataDirOnClose(true).start()) {
      config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      long started = System.nanoTime();
      long loaded =
          EventTopicLoader.load(
              events,
              broker.bootstrapServers(),
              settings.topics().events(),
              settings.topics().partitions());
      System.out.printf(
          "loaded %d events into %s (%d partitions) in %.1f s%n",
          loaded,
          settings.topics().events(),
          settings.topics().partitions(),
          (System.nanoTime() - started) / 1e9);
      return retrain(config, settings, request);
    }
  }

  private RetrainRequest request() throws java.io.IOException {
    EvaluationSettings trainingSettings = EvaluateCommand.resolveSettings(spec, training);
    try {
      return new RetrainRequest(
          RetrainSource.parse(source),
          TimeRange.parse(from, to),
          RetrainProtocol.parse(protocol),
          trainingSettings,
          validationFraction,
          workDir);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private int retrain(Map<String, Object> config, RecsysSettings settings, RetrainRequest request)
      throws Exception {
    PrintStream out = System.out;
    RetrainResult r;
    try {
      r = Retrain.run(config, settings, request, p -> EvaluateCommand.printEpoch(out, p));
    } catch (IllegalArgumentException | IllegalStateException e) {
      // A data problem (missing topic, empty range, impossible split, records deleted by
      // retention mid-read), not a bug: no stack trace.
      System.err.println("retrain: " + e.getMessage());
      return 2;
    }
    Map<String, Object> e = r.evaluation();
    out.printf(
        "read %d records of %s in %.1f s (%.0f records/s), %d invalid skipped; %d items in the"
            + " rebuilt histories%n",
        r.read().records(),
        r.read().topic(),
        r.read().seconds(),
        r.read().recordsPerSecond(),
        r.invalidRecords(),
        r.interactions());
    out.printf(
        "%s (%s users, %s items): model %s | popularity %s | best epoch %s of %s, %.1f s per"
            + " epoch%n",
        e.get("protocol"),
        e.get("users"),
        e.get("items"),
        brief(e.get("model")),
        brief(e.get("popularity")),
        e.get("bestEpoch"),
        e.get("epochsRun"),
        (Double) e.get("secondsPerEpoch"));
    out.printf(
        "registered %s in %s%n", r.registered().name(), r.registered().directory().getParent());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", "retrain");
    summary.put("version", r.registered().name());
    summary.put("registryDir", r.registered().directory().getParent().toString());
    summary.put("source", r.registered().provenance().source());
    summary.put("from", request.range().fromMs());
    summary.put("to", request.range().toMs());
    summary.put("offsets", r.read().offsets());
    summary.putAll(e);
    summary.put("hyperparameters", r.registered().provenance().hyperparameters());
    summary.put("seed", r.registered().provenance().seed());
    summary.put("codeVersion", r.registered().provenance().codeVersion());
    summary.put("backend", BackendInfo.describe());
    json.print(out, summary);
    return 0;
  }

  private static String brief(Object metrics) {
    Map<?, ?> m = (Map<?, ?>) metrics;
    return String.format(
        "HR@10 %.4f NDCG@10 %.4f", (Double) m.get("HR@10"), (Double) m.get("NDCG@10"));
  }
}
