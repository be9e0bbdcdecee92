package io.recsys.app.cli;

import io.recsys.app.eventfiles.EventHistories;
import io.recsys.app.retrain.EvaluationFigures;
import io.recsys.model.BackendInfo;
import io.recsys.model.data.Interaction;
import io.recsys.model.evaluation.EpochProgress;
import io.recsys.model.evaluation.EvaluationResult;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.HyperparameterSearch;
import io.recsys.model.evaluation.LeaveOneOutEvaluation;
import java.io.PrintStream;
import java.util.ArrayList;
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

  @Option(
      names = "--tune",
      description =
          "Try the given hyperparameters and five variations (output rows' learning rate x4,"
              + " learning rate /2, dropout 0.5, L2 1e-5, half the sizes), each with early"
              + " stopping, and report the one with the best validation NDCG@10. Costs six runs.")
  boolean tune;

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
    if (tune) {
      // The variations are of the settings this data would get, output rows' scale included.
      EvaluationSettings base =
          settings.forData(
              interactions.size(),
              (int) interactions.stream().map(Interaction::itemId).distinct().count());
      HyperparameterSearch.Outcome search =
          HyperparameterSearch.run(
              interactions,
              base,
              HyperparameterSearch.around(base.model()),
              (trial, p) -> {
                out.print("[" + trial.name() + "] ");
                printEpoch(out, p);
              });
      List<Map<String, Object>> trials = new ArrayList<>();
      for (HyperparameterSearch.TrialResult t : search.trials()) {
        out.printf(
            "trial %-18s best validation NDCG@10 %.4f (epoch %d), test HR@10 %.4f NDCG@10 %.4f%n",
            t.trial().name(),
            t.result().bestValidationNdcg10(),
            t.result().bestEpoch(),
            t.result().model().hr10(),
            t.result().model().ndcg10());
        Map<String, Object> trial = new LinkedHashMap<>();
        trial.put("name", t.trial().name());
        trial.put("bestValidationNdcg10", t.result().bestValidationNdcg10());
        trial.put("bestEpoch", t.result().bestEpoch());
        trial.put("model", EvaluationFigures.metrics(t.result().model()));
        trial.put("hyperparameters", t.trial().config());
        trials.add(trial);
      }
      HyperparameterSearch.TrialResult winner = search.winner();
      out.printf("chosen on validation: %s%n", winner.trial().name());
      printTest(out, winner.result());
      Map<String, Object> figures = figures(data, winner.result(), settings);
      figures.put("tuning", Map.of("chosen", winner.trial().name(), "trials", trials));
      json.print(out, figures);
      return 0;
    }
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
        "epoch %d: loss %.4f, validation NDCG@10 %.4f%s, elapsed %.1f s%s%n",
        p.epoch(),
        p.trainLoss(),
        p.validationNdcg10(),
        Double.isNaN(p.meanValidationNdcg10())
            ? ""
            : String.format(
                " (mean of the last %d epochs' weights: %.4f)",
                p.epochsAveraged(), p.meanValidationNdcg10()),
        p.elapsedSeconds(),
        p.best() ? " (best)" : "");
  }

  static void printTest(PrintStream out, EvaluationResult r) {
    out.printf(
        "test (%d users, %d items), HR@10 / NDCG@10: model %.4f / %.4f | co-occurrence %.4f /"
            + " %.4f | popularity %.4f / %.4f | blend %.4f / %.4f | served %.4f / %.4f%n",
        r.users(),
        r.items(),
        r.model().hr10(),
        r.model().ndcg10(),
        r.cooccurrence().hr10(),
        r.cooccurrence().ndcg10(),
        r.popularity().hr10(),
        r.popularity().ndcg10(),
        r.blend().hr10(),
        r.blend().ndcg10(),
        r.served().hr10(),
        r.served().ndcg10());
    out.printf(
        "co-occurrence backward weight %s, blend fused with %s (both chosen on validation);"
            + " served by history length: %s%n",
        r.cooccurrenceBackwardWeight(), r.blendFusion(), r.servedByBucket());
    out.printf("training %.1f s, %.0f examples/s%n", r.trainingSeconds(), r.examplesPerSecond());
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
            "cooccurrenceBackwardWeight",
            "blend",
            "blendFusion",
            "served",
            "servedByHistoryLength",
            "bestValidationNdcg10",
            "bestEpoch",
            "bestEpochsAveraged",
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
