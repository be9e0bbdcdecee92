package io.recsys.model;

/**
 * Every hyperparameter of the next-item model. Defaults ({@link #defaults()}) are the values tuned
 * on ML-1M (users 1-2999) with the leave-one-out protocol; see model/README.md.
 *
 * @param embeddingSize item embedding width (default 64)
 * @param hiddenSize LSTM state width (default 128)
 * @param sequenceLength most recent items an input sequence is cut to, for training examples and
 *     for scoring (default 200, SASRec's setting for ML-1M)
 * @param backpropSteps in incremental training, how many of the newest steps of a sequence get
 *     gradients; older steps only build the recurrent state (default 5)
 * @param dropout dropout rate on the item embeddings and on the LSTM output (default 0.25)
 * @param learningRate Adam step size (default 0.002)
 * @param outputLearningRateScale the output layer's (item output weights and biases) step size
 *     as a multiple of the learning rate (default 1). The output rows are plain linear scores over
 *     a fixed-size state and tolerate larger steps than the LSTM and the embeddings, which diverge
 *     first (the streaming pipeline's default is 8; see the main README)
 * @param l2 L2 penalty added to every gradient (default 0)
 * @param loss full or sampled softmax (default full)
 * @param negatives sampled items per batch for {@link LossType#SAMPLED_SOFTMAX} (default 2048)
 * @param samplingExponent popularity exponent of the negative sampler, 0 = uniform (default 0.75)
 * @param maxBatchSize examples per updater step; larger micro-batches are split (default 1024)
 * @param seed seed of initialisation, dropout and sampling (default 42)
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

  public static ModelConfig defaults() {
    return new ModelConfig(
        64, 128, 200, 5, 0.25, 0.002, 1.0, 0.0, LossType.FULL_SOFTMAX, 2048, 0.75, 1024, 42L);
  }

  public ModelConfig withLoss(LossType newLoss) {
    return new ModelConfig(
        embeddingSize,
        hiddenSize,
        sequenceLength,
        backpropSteps,
        dropout,
        learningRate,
        outputLearningRateScale,
        l2,
        newLoss,
        negatives,
        samplingExponent,
        maxBatchSize,
        seed);
  }

  public ModelConfig withNegatives(int newNegatives) {
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
        newNegatives,
        samplingExponent,
        maxBatchSize,
        seed);
  }

  public ModelConfig withSizes(int newEmbeddingSize, int newHiddenSize) {
    return new ModelConfig(
        newEmbeddingSize,
        newHiddenSize,
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

  public ModelConfig withDropout(double newDropout) {
    return new ModelConfig(
        embeddingSize,
        hiddenSize,
        sequenceLength,
        backpropSteps,
        newDropout,
        learningRate,
        outputLearningRateScale,
        l2,
        loss,
        negatives,
        samplingExponent,
        maxBatchSize,
        seed);
  }

  public ModelConfig withLearningRate(double newLearningRate) {
    return new ModelConfig(
        embeddingSize,
        hiddenSize,
        sequenceLength,
        backpropSteps,
        dropout,
        newLearningRate,
        outputLearningRateScale,
        l2,
        loss,
        negatives,
        samplingExponent,
        maxBatchSize,
        seed);
  }

  public ModelConfig withOutputLearningRateScale(double newScale) {
    return new ModelConfig(
        embeddingSize,
        hiddenSize,
        sequenceLength,
        backpropSteps,
        dropout,
        learningRate,
        newScale,
        l2,
        loss,
        negatives,
        samplingExponent,
        maxBatchSize,
        seed);
  }

  public ModelConfig withSequenceLength(int newSequenceLength) {
    return new ModelConfig(
        embeddingSize,
        hiddenSize,
        newSequenceLength,
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

  public ModelConfig withBackpropSteps(int newBackpropSteps) {
    return new ModelConfig(
        embeddingSize,
        hiddenSize,
        sequenceLength,
        newBackpropSteps,
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

  public ModelConfig withMaxBatchSize(int newMaxBatchSize) {
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
        newMaxBatchSize,
        seed);
  }

  public ModelConfig withSeed(long newSeed) {
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
        newSeed);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}
