package io.recsys.app.cli;

import io.recsys.app.eventfiles.EventHistories;
import io.recsys.app.retrain.EvaluationFigures;
import io.recsys.model.BackendInfo;
import io.recsys.model.data.Interaction;
import io.recsys.model.evaluation.EpochProgress;
import io.recsys.model.evaluation.EvaluationResult;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.LeaveOneOutEvaluation;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recsys evaluate}: the offline leave-one-out, full-ranking protocol of
 * shared/datasets/README.md on a MovieLens directory, with the popularity and co-occurrence
 * baselines in the same run.
 */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Offline leave-one-out evaluation of the model against popularity and co-occurrence.")
public final class EvaluateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

  @Spec CommandSpec spec;

  @Mixin JsonSummary json = new JsonSummary();

  @Option(
      names = "--data",
      required = true,
      paramLabel = "SOURCE",
      description =
          "The data set: movielens:DIR (DIR holds ratings.dat, u.data or ratings.csv) or"
              + " file:PATH (a CSV, TSV or JSON-lines event file; see --columns).")
  String data;

  @Mixin EventFileOptions eventFile = new EventFileOptions();

  @Option(
      names = "--protocol",
      defaultValue = "loo",
      description =
          "Evaluation protocol; only 'loo' (leave-one-out, full ranking). Default:"
              + " ${DEFAULT-VALUE}.")
  String protocol;

  @Mixin TrainingOptions training = new TrainingOptions();

  @Override
  public Integer call() throws Exception {
    if (!"loo".equals(protocol)) {
      throw new ParameterException(
          spec.commandLine(), "--protocol must be 'loo', got '" + protocol + "'");
    }
    DataSourceArgument.history("--data", data, "");
    var columns = eventFile.mapping();
    LOG.info("ND4J backend: {}", BackendInfo.describe());
    long readStart = System.nanoTime();
    List<Interaction> interactions = EventHistories.interactions(data, columns);
    LOG.info(
        "Read {} events of {} in {} ms",
        interactions.size(),
        data,
        (System.nanoTime() - readStart) / 1_000_000);
    EvaluationSettings settings = resolveSettings(spec, training);
    PrintStream out = System.out;
    EvaluationResult r = LeaveOneOutEvaluation.run(interactions, settings, p -> printEpoch(out, p));
    printTest(out, r);
    json.print(out, figures(data, r, settings));
    return 0;
  }

  /** The settings of {@code options}, with a bad value reported as a usage error. */
  static EvaluationSettings resolveSettings(CommandSpec spec, TrainingOptions options)
      throws java.io.IOException {
    try {
      return options.resolve();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  static void printEpoch(PrintStream out, EpochProgress p) {
    out.printf(
        "epoch %d: loss %.4f, validation NDCG@10 %.4f, elapsed %.1f s%s%n",
        p.epoch(),
        p.trainLoss(),
        p.validationNdcg10(),
        p.elapsedSeconds(),
        p.best() ? " (best)" : "");
  }

  static void printTest(PrintStream out, EvaluationResult r) {
    out.printf(
        "test (%d users, %d items): model HR@10 %.4f NDCG@10 %.4f | popularity HR@10 %.4f NDCG@10"
            + " %.4f | co-occurrence HR@10 %.4f NDCG@10 %.4f | training %.1f s, %.0f examples/s%n",
        r.users(),
        r.items(),
        r.model().hr10(),
        r.model().ndcg10(),
        r.popularity().hr10(),
        r.popularity().ndcg10(),
        r.cooccurrence().hr10(),
        r.cooccurrence().ndcg10(),
        r.trainingSeconds(),
        r.examplesPerSecond());
  }

  private static Map<String, Object> figures(
      String data, EvaluationResult r, EvaluationSettings settings) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("data", data);
    Map<String, Object> loo = EvaluationFigures.loo(r);
    // Same keys and order as before the figures were shared with retrain.
    for (String key :
        List.of(
            "protocol",
            "users",
            "items",
            "model",
            "popularity",
            "cooccurrence",
            "bestValidationNdcg10",
            "bestEpoch",
            "epochsRun")) {
      f.put(key, loo.get(key));
    }
    f.put("training", settings.mode().name());
    f.put("plateauDecay", settings.plateauDecay());
    f.put("trainingSeconds", r.trainingSeconds());
    f.put("examplesPerSecond", r.examplesPerSecond());
    f.put("hyperparameters", r.config());
    f.put("backend", BackendInfo.describe());
    return f;
  }
}
