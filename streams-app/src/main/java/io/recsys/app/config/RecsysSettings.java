package io.recsys.app.config;

import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import java.util.List;
import java.util.Map;

/**
 * The parsed, validated {@code recsys.*} settings; see {@link RecsysConfig} for each one's meaning
 * and default.
 */
public record RecsysSettings(
    TopicNames topics,
    int topicPartitions,
    short topicReplicationFactor,
    Map<String, Double> eventWeights,
    int eventMaxBytes,
    int eventMaxIdLength,
    int recentItems,
    long popularityHalfLifeMs,
    int leaderboardSize,
    long publishIntervalMs,
    int topK,
    long rocksDbMemoryBytes,
    long metricsIntervalMs,
    int httpPort,
    int servingBatchSize,
    long servingBatchWaitMs,
    int servingSeenItems,
    Learning learning) {

  public RecsysSettings {
    eventWeights = Map.copyOf(eventWeights);
  }

  /** Names of the topics the application reads and writes. */
  public record TopicNames(
      String events,
      String deadLetters,
      String recommendations,
      String itemEvents,
      String popularity,
      String trainingExamples,
      String modelUpdates,
      String metrics) {}

  /** How the model is trained and served; see {@link RecsysConfig} for each setting. */
  public record Learning(
      boolean modelEnabled,
      boolean trainerEnabled,
      String trainerDir,
      String registryDir,
      int batchSize,
      long batchWaitMs,
      long checkpointIntervalMs,
      long publishIntervalMs,
      long snapshotIntervalMs,
      double deltaTolerance,
      boolean quantizedDeltas,
      int minHistory,
      int sequenceLength,
      double learningRate,
      double outputLearningRateScale,
      int embeddingSize,
      int hiddenSize,
      int backpropSteps,
      double dropout,
      LossType loss,
      int negatives,
      int servingStateSteps,
      int servingStateUsers,
      int trainerStateSteps,
      int trainerStateUsers) {

    /**
     * The hyperparameters of a new streaming model: the offline defaults with these settings'
     * widths, backpropagation depth, dropout, loss, sequence length and step sizes. A resumed
     * checkpoint keeps its own.
     */
    public ModelConfig modelConfig() {
      return ModelConfig.defaults()
          .withSizes(embeddingSize, hiddenSize)
          .withBackpropSteps(backpropSteps)
          .withDropout(dropout)
          .withLoss(loss)
          .withNegatives(negatives)
          .withLearningRate(learningRate)
          .withOutputLearningRateScale(outputLearningRateScale)
          .withSequenceLength(sequenceLength);
    }

    /** The newest {@link #sequenceLength()} items of {@code items} (oldest first). */
    public List<String> recent(List<String> items) {
      return items.size() <= sequenceLength
          ? items
          : items.subList(items.size() - sequenceLength, items.size());
    }
  }

  /** Weight of an accepted event type (the parser has already rejected unknown types). */
  public double weightOf(String eventType) {
    Double weight = eventWeights.get(eventType);
    if (weight == null) {
      throw new IllegalArgumentException("eventType: no weight configured for " + eventType);
    }
    return weight;
  }
}
