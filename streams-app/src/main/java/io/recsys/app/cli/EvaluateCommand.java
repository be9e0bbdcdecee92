package io.recsys.app.cli;

import io.recsys.model.BackendInfo;
import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.data.Interaction;
import io.recsys.model.data.MovieLensReader;
import io.recsys.model.evaluation.EvaluationResult;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.LeaveOneOutEvaluation;
import io.recsys.model.evaluation.RankingSummary;
import io.recsys.model.evaluation.TrainingMode;
import java.io.PrintStream;
import java.nio.file.Path;
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
  private static final String MOVIELENS_PREFIX = "movielens:";

  @Spec CommandSpec spec;

  @Mixin JsonSummary json = new JsonSummary();

  @Option(
      names = "--data",
      required = true,
      paramLabel = "movielens:DIR",
      description =
          "The data set: movielens:DIR, where DIR holds ratings.dat (ML-1M) or u.data (ML-100K).")
  String data;

  @Option(
      names = "--protocol",
      defaultValue = "loo",
      description =
          "Evaluation protocol; only 'loo' (leave-one-out, full ranking). Default:"
              + " ${DEFAULT-VALUE}.")
  String protocol;

  @Option(
      names = "--epochs",
      defaultValue = "30",
      description = "Most training epochs. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(
      names = "--patience",
      defaultValue = "4",
      description =
          "Stop after this many epochs without a better validation NDCG@10. Default:"
              + " ${DEFAULT-VALUE}.")
  int patience;

  @Option(
      names = "--lanes",
      defaultValue = "32",
      description = "Parallel sequences per batch. Default: ${DEFAULT-VALUE}.")
  int lanes;

  @Option(
      names = "--window",
      defaultValue = "20",
      description =
          "Truncated-backpropagation window of full-sequence training. Default: ${DEFAULT-VALUE}.")
  int window;

  @Option(
      names = "--plateau-decay",
      defaultValue = "0.5",
      description =
          "Learning-rate factor after an epoch without a better validation NDCG@10 (1 = off)."
              + " Default: ${DEFAULT-VALUE}.")
  double plateauDecay;

  @Option(
      names = "--training",
      defaultValue = "FULL_SEQUENCE",
      description =
          "FULL_SEQUENCE (every position a target) or INCREMENTAL (the streaming train() path)."
              + " Default: ${DEFAULT-VALUE}.")
  TrainingMode trainingMode;

  @Option(
      names = "--embedding-size",
      description = "Item embedding width (model default if absent).")
  Integer embeddingSize;

  @Option(names = "--hidden-size", description = "LSTM width (model default if absent).")
  Integer hiddenSize;

  @Option(
      names = "--sequence-length",
      description = "Items of history the model reads when scoring (model default if absent).")
  Integer sequenceLength;

  @Option(names = "--dropout", description = "Dropout rate (model default if absent).")
  Double dropout;

  @Option(names = "--learning-rate", description = "Adam step size (model default if absent).")
  Double learningRate;

  @Option(
      names = "--loss",
      description = "FULL_SOFTMAX or SAMPLED_SOFTMAX (model default if absent).")
  LossType loss;

  @Override
  public Integer call() throws Exception {
    if (!"loo".equals(protocol)) {
      throw new ParameterException(
          spec.commandLine(), "--protocol must be 'loo', got '" + protocol + "'");
    }
    if (!data.startsWith(MOVIELENS_PREFIX)) {
      throw new ParameterException(
          spec.commandLine(), "--data must look like movielens:DIR, got '" + data + "'");
    }
    Path dir = Path.of(data.substring(MOVIELENS_PREFIX.length()));
    LOG.info("ND4J backend: {}", BackendInfo.describe());
    List<Interaction> interactions = MovieLensReader.read(dir);
    ModelConfig config = modelConfig();
    PrintStream out = System.out;
    EvaluationResult r =
        LeaveOneOutEvaluation.run(
            interactions,
            new EvaluationSettings(
                config, epochs, patience, lanes, window, trainingMode, plateauDecay),
            p ->
                out.printf(
                    "epoch %d: loss %.4f, validation NDCG@10 %.4f, elapsed %.1f s%s%n",
                    p.epoch(),
                    p.trainLoss(),
                    p.validationNdcg10(),
                    p.elapsedSeconds(),
                    p.best() ? " (best)" : ""));
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
    json.print(out, figures(dir, r));
    return 0;
  }

  private ModelConfig modelConfig() {
    ModelConfig c = ModelConfig.defaults();
    if (embeddingSize != null || hiddenSize != null) {
      c =
          c.withSizes(
              embeddingSize != null ? embeddingSize : c.embeddingSize(),
              hiddenSize != null ? hiddenSize : c.hiddenSize());
    }
    if (sequenceLength != null) {
      c = c.withSequenceLength(sequenceLength);
    }
    if (dropout != null) {
      c = c.withDropout(dropout);
    }
    if (learningRate != null) {
      c = c.withLearningRate(learningRate);
    }
    if (loss != null) {
      c = c.withLoss(loss);
    }
    return c;
  }

  private Map<String, Object> figures(Path dir, EvaluationResult r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("data", dir.toString());
    f.put("protocol", "loo-full-ranking");
    f.put("users", r.users());
    f.put("items", r.items());
    f.put("model", metrics(r.model()));
    f.put("popularity", metrics(r.popularity()));
    f.put("cooccurrence", metrics(r.cooccurrence()));
    f.put("bestValidationNdcg10", r.bestValidationNdcg10());
    f.put("bestEpoch", r.bestEpoch());
    f.put("epochsRun", r.epochsRun());
    f.put("training", trainingMode.name());
    f.put("plateauDecay", plateauDecay);
    f.put("trainingSeconds", r.trainingSeconds());
    f.put("examplesPerSecond", r.examplesPerSecond());
    f.put("hyperparameters", r.config());
    f.put("backend", BackendInfo.describe());
    return f;
  }

  private static Map<String, Object> metrics(RankingSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("HR@10", s.hr10());
    m.put("NDCG@10", s.ndcg10());
    m.put("MRR@10", s.mrr10());
    m.put("HR@20", s.hr20());
    m.put("NDCG@20", s.ndcg20());
    return m;
  }
}
