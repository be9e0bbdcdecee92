package io.recsys.model;

import java.util.List;

/** Folds new examples into a model; can be called forever as data arrives. */
public interface IncrementalTrainer {
  /**
   * Trains on a micro-batch with a bounded number of updater steps (one per {@link
   * ModelConfig#maxBatchSize()} examples). New target items are admitted to the vocabulary first.
   */
  TrainingStats train(List<TrainingExample> microBatch);
}
