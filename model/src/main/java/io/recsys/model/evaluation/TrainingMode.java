package io.recsys.model.evaluation;

/** How an evaluation run trains the model, so that the two can be compared on the same split. */
public enum TrainingMode {
  /**
   * Whole user sequences, every position a target ({@link io.recsys.model.FullSequenceTrainer}).
   */
  FULL_SEQUENCE,
  /**
   * The streaming path: one example per training event (the preceding {@code window} items and the
   * event's item), shuffled, through {@link io.recsys.model.NextItemModel#train} in micro-batches,
   * with backpropagation truncated to {@link io.recsys.model.ModelConfig#backpropSteps()} steps.
   */
  INCREMENTAL
}
