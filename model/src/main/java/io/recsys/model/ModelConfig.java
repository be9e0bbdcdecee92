package io.recsys.model;

/**
 * Every hyperparameter of the next-item model, as one immutable value. Each one's name, meaning,
 * type and range are defined once, in {@link Hyperparameter}; {@link #builder()} sets them.
 * Defaults ({@link #defaults()}) are the values tuned on ML-1M (users 1-2999) with the
 * leave-one-out protocol; see model/README.md.
 *
 * <p>The components are in {@link Hyperparameter}'s order and documented there.
 */
public record ModelConfig(
    int embeddingSize,
    int hiddenSize,
    int sequenceLength,
    int backpropSteps,
    double dropout,
    double learningRate,
    double outputLearningRateScale,
    double l2,
    LossType loss,
    int negatives,
    double samplingExponent,
    int maxBatchSize,
    long seed) {

  public ModelConfig {
    positive("embeddingSize", embeddingSize);
    positive("hiddenSize", hiddenSize);
    positive("sequenceLength", sequenceLength);
    positive("backpropSteps", backpropSteps);
    positive("negatives", negatives);
    positive("maxBatchSize", maxBatchSize);
    if (!(dropout >= 0.0 && dropout < 1.0)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    if (!(learningRate > 0.0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    if (!(outputLearningRateScale > 0.0) || !Double.isFinite(outputLearningRateScale)) {
      throw new IllegalArgumentException(
          "outputLearningRateScale must be > 0, got " + outputLearningRateScale);
    }
    if (!(l2 >= 0.0) || !Double.isFinite(l2)) {
      throw new IllegalArgumentException("l2 must be >= 0, got " + l2);
    }
    if (loss == null) {
      throw new IllegalArgumentException("loss must not be null");
    }
    if (!(samplingExponent >= 0.0 && samplingExponent <= 1.0)) {
      throw new IllegalArgumentException(
          "samplingExponent must be in [0, 1], got " + samplingExponent);
    }
  }

  /** The offline defaults, tuned on ML-1M (users 1-2999) with the leave-one-out protocol. */
  public static ModelConfig defaults() {
    return new ModelConfig(
        64, 128, 200, 5, 0.25, 0.002, 1.0, 0.0, LossType.AUTO, 2048, 0.75, 1024, 42L);
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The newest {@link #sequenceLength()} items of {@code items} (oldest first). */
  public java.util.List<String> recent(java.util.List<String> items) {
    return items.size() <= sequenceLength
        ? items
        : items.subList(items.size() - sequenceLength, items.size());
  }

  /**
   * Builds a {@link ModelConfig} one hyperparameter at a time; {@link #build()} validates. Every
   * way of setting a hyperparameter (settings, flags, files) goes through {@link Hyperparameter},
   * which sets it here.
   */
  public static final class Builder {
    private int embeddingSize;
    private int hiddenSize;
    private int sequenceLength;
    private int backpropSteps;
    private double dropout;
    private double learningRate;
    private double outputLearningRateScale;
    private double l2;
    private LossType loss;
    private int negatives;
    private double samplingExponent;
    private int maxBatchSize;
    private long seed;

    private Builder(ModelConfig from) {
      embeddingSize = from.embeddingSize;
      hiddenSize = from.hiddenSize;
      sequenceLength = from.sequenceLength;
      backpropSteps = from.backpropSteps;
      dropout = from.dropout;
      learningRate = from.learningRate;
      outputLearningRateScale = from.outputLearningRateScale;
      l2 = from.l2;
      loss = from.loss;
      negatives = from.negatives;
      samplingExponent = from.samplingExponent;
      maxBatchSize = from.maxBatchSize;
      seed = from.seed;
    }

    public Builder embeddingSize(int value) {
      embeddingSize = value;
      return this;
    }

    public Builder hiddenSize(int value) {
      hiddenSize = value;
      return this;
    }

    public Builder sequenceLength(int value) {
      sequenceLength = value;
      return this;
    }

    public Builder backpropSteps(int value) {
      backpropSteps = value;
      return this;
    }

    public Builder dropout(double value) {
      dropout = value;
      return this;
    }

    public Builder learningRate(double value) {
      learningRate = value;
      return this;
    }

    public Builder outputLearningRateScale(double value) {
      outputLearningRateScale = value;
      return this;
    }

    public Builder l2(double value) {
      l2 = value;
      return this;
    }

    public Builder loss(LossType value) {
      loss = value;
      return this;
    }

    public Builder negatives(int value) {
      negatives = value;
      return this;
    }

    public Builder samplingExponent(double value) {
      samplingExponent = value;
      return this;
    }

    public Builder maxBatchSize(int value) {
      maxBatchSize = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the hyperparameter out of range and its value
     */
    public ModelConfig build() {
      return new ModelConfig(
          embeddingSize,
          hiddenSize,
          sequenceLength,
          backpropSteps,
          dropout,
          learningRate,
          outputLearningRateScale,
          l2,
          loss,
          negatives,
          samplingExponent,
          maxBatchSize,
          seed);
    }
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
