package io.recsys.model.evaluation;

import io.recsys.model.ModelConfig;
import io.recsys.model.data.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A small search over the hyperparameters that decide whether the model holds on small or sparse
 * data: the step size, the output rows' own step size (on sparse data each item's row sees few
 * gradients), regularisation (dropout, L2) and the model's size relative to the examples. Each
 * trial is one {@link LeaveOneOutEvaluation} run with early stopping; the trial with the best
 * validation NDCG@10 wins, and its test figures are reported. Test targets play no part in the
 * choice.
 */
public final class HyperparameterSearch {
  private HyperparameterSearch() {}

  /** One setting tried. */
  public record Trial(String name, ModelConfig config) {
    public Trial {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(config, "config");
    }
  }

  /** A trial and its run. */
  public record TrialResult(Trial trial, EvaluationResult result) {}

  /** Every trial's run and the index of the winner. */
  public record Outcome(List<TrialResult> trials, int best) {
    public Outcome {
      trials = List.copyOf(trials);
    }

    public TrialResult winner() {
      return trials.get(best);
    }
  }

  /** {@code base} and five variations of it. */
  public static List<Trial> around(ModelConfig base) {
    return List.of(
        new Trial("given", base),
        new Trial(
            "output learning rate x4",
            base.toBuilder().outputLearningRateScale(base.outputLearningRateScale() * 4).build()),
        new Trial(
            "learning rate /2", base.toBuilder().learningRate(base.learningRate() / 2).build()),
        new Trial("dropout 0.5", base.toBuilder().dropout(0.5).build()),
        new Trial("l2 1e-5", base.toBuilder().l2(1e-5).build()),
        new Trial(
            "half size",
            base.toBuilder()
                .embeddingSize(Math.max(8, base.embeddingSize() / 2))
                .hiddenSize(Math.max(8, base.hiddenSize() / 2))
                .build()));
  }

  /**
   * Runs every trial with the training-run settings of {@code settings} (epochs, patience, ...).
   *
   * @param progress told each trial's epochs as they end
   */
  public static Outcome run(
      List<Interaction> interactions,
      EvaluationSettings settings,
      List<Trial> trials,
      BiConsumer<Trial, EpochProgress> progress) {
    if (trials.isEmpty()) {
      throw new IllegalArgumentException("trials: at least one expected");
    }
    List<TrialResult> results = new ArrayList<>(trials.size());
    int best = 0;
    for (Trial trial : trials) {
      EvaluationSettings trialSettings =
          new EvaluationSettings(
              trial.config(),
              settings.maxEpochs(),
              settings.patience(),
              settings.lanes(),
              settings.window(),
              settings.mode(),
              settings.plateauDecay(),
              false,
              settings.averagedEpochs());
      EvaluationResult result =
          LeaveOneOutEvaluation.run(interactions, trialSettings, p -> progress.accept(trial, p));
      results.add(new TrialResult(trial, result));
      if (result.bestValidationNdcg10() > results.get(best).result().bestValidationNdcg10()) {
        best = results.size() - 1;
      }
    }
    return new Outcome(results, best);
  }
}
