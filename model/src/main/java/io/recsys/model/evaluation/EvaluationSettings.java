package io.recsys.model.evaluation;

import io.recsys.model.ModelConfig;
import java.util.Objects;

/**
 * @param model the model's hyperparameters
 * @param maxEpochs upper bound on training passes
 * @param patience epochs without a better validation NDCG@10 before stopping early
 * @param lanes parallel sequences per training batch
 * @param window truncated-backpropagation window of full-sequence training, in steps; in
 *     incremental mode, the number of preceding items in each example
 * @param mode full-sequence or incremental (streaming) training
 * @param plateauDecay factor applied to the learning rate after an epoch without a better
 *     validation NDCG@10 (1 = constant rate)
 */
public record EvaluationSettings(
    ModelConfig model,
    int maxEpochs,
    int patience,
    int lanes,
    int window,
    TrainingMode mode,
    double plateauDecay) {
  public EvaluationSettings {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(mode, "mode");
    if (!(plateauDecay > 0.0 && plateauDecay <= 1.0)) {
      throw new IllegalArgumentException("plateauDecay must be in (0, 1], got " + plateauDecay);
    }
    if (maxEpochs <= 0) {
      throw new IllegalArgumentException("maxEpochs must be > 0, got " + maxEpochs);
    }
    if (patience <= 0) {
      throw new IllegalArgumentException("patience must be > 0, got " + patience);
    }
    if (window <= 0) {
      throw new IllegalArgumentException("window must be > 0, got " + window);
    }
    if (lanes <= 0) {
      throw new IllegalArgumentException("lanes must be > 0, got " + lanes);
    }
  }

  public EvaluationSettings(ModelConfig model, int maxEpochs, int patience, int lanes, int window) {
    this(model, maxEpochs, patience, lanes, window, TrainingMode.FULL_SEQUENCE, 1.0);
  }

  public EvaluationSettings(
      ModelConfig model, int maxEpochs, int patience, int lanes, int window, TrainingMode mode) {
    this(model, maxEpochs, patience, lanes, window, mode, 1.0);
  }

  /** The settings of the best measured run (model/README.md, run B). */
  public static EvaluationSettings defaults(int maxEpochs) {
    return new EvaluationSettings(
        ModelConfig.defaults(), maxEpochs, 4, 32, 20, TrainingMode.FULL_SEQUENCE, 0.5);
  }
}
