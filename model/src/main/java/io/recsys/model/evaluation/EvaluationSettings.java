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
 * @param outputRateFromData whether the output rows' learning-rate scale is to be set from the
 *     data's examples per item ({@link #forData}) rather than taken from {@code model}
 * @param averagedEpochs after each epoch, the mean weights of the last this many epochs are judged
 *     on validation too, and kept where they beat every single epoch (1 = off)
 */
public record EvaluationSettings(
    ModelConfig model,
    int maxEpochs,
    int patience,
    int lanes,
    int window,
    TrainingMode mode,
    double plateauDecay,
    boolean outputRateFromData,
    int averagedEpochs) {

  /**
   * Epochs averaged by default: none. Averaging three raised the model's own test figures a little
   * on ML-1M and amazon-games but not the served lists (docs/BENCHMARKS.md, "Quality on your
   * data").
   */
  public static final int DEFAULT_AVERAGED_EPOCHS = 1;

  /**
   * Examples per item times the output rows' scale, roughly constant at the best scale measured on
   * three data sets (docs/BENCHMARKS.md: ML-1M ~135 examples per item, best tried 16; ML-100K ~60,
   * best 32; amazon-games ~12, 32 where 1 lost a third of its HR@10).
   */
  static final double EXAMPLES_PER_ITEM_TIMES_SCALE = 2000;

  /** The largest data-derived scale; larger was worse on ML-100K and was not measured elsewhere. */
  static final double MAX_DATA_SCALE = 32;

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
    if (averagedEpochs <= 0) {
      throw new IllegalArgumentException("averagedEpochs must be > 0, got " + averagedEpochs);
    }
  }

  public EvaluationSettings(ModelConfig model, int maxEpochs, int patience, int lanes, int window) {
    this(model, maxEpochs, patience, lanes, window, TrainingMode.FULL_SEQUENCE, 1.0);
  }

  public EvaluationSettings(
      ModelConfig model, int maxEpochs, int patience, int lanes, int window, TrainingMode mode) {
    this(model, maxEpochs, patience, lanes, window, mode, 1.0);
  }

  public EvaluationSettings(
      ModelConfig model,
      int maxEpochs,
      int patience,
      int lanes,
      int window,
      TrainingMode mode,
      double plateauDecay) {
    this(model, maxEpochs, patience, lanes, window, mode, plateauDecay, false, 1);
  }

  /**
   * These settings for data of {@code examples} interactions over {@code items} items: where {@link
   * #outputRateFromData} asks for it, the output rows' learning-rate scale becomes {@link
   * #outputRateScaleFor} the data. Each item's output row learns only from the examples whose
   * target it is, so on sparse data rows need far larger steps than the LSTM tolerates.
   */
  public EvaluationSettings forData(long examples, int items) {
    if (!outputRateFromData) {
      return this;
    }
    ModelConfig scaled =
        model.toBuilder().outputLearningRateScale(outputRateScaleFor(examples, items)).build();
    return new EvaluationSettings(
        scaled, maxEpochs, patience, lanes, window, mode, plateauDecay, false, averagedEpochs);
  }

  /**
   * The output rows' scale for {@code examples} over {@code items}: {@value
   * #EXAMPLES_PER_ITEM_TIMES_SCALE} divided by the examples per item, rounded to a power of two,
   * between 1 and {@value #MAX_DATA_SCALE}.
   */
  public static double outputRateScaleFor(long examples, int items) {
    double perItem = examples / (double) Math.max(1, items);
    if (!(perItem > 0)) {
      return 1.0;
    }
    double exponent = Math.rint(Math.log(EXAMPLES_PER_ITEM_TIMES_SCALE / perItem) / Math.log(2));
    return Math.max(1.0, Math.min(MAX_DATA_SCALE, Math.pow(2, exponent)));
  }

  /**
   * The settings of the best measured run (model/README.md, run B), with the output rows' scale
   * taken from the data.
   */
  public static EvaluationSettings defaults(int maxEpochs) {
    return new EvaluationSettings(
        ModelConfig.defaults(),
        maxEpochs,
        4,
        32,
        20,
        TrainingMode.FULL_SEQUENCE,
        0.5,
        true,
        DEFAULT_AVERAGED_EPOCHS);
  }
}
