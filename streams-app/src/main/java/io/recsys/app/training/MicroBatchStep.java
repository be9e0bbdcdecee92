package io.recsys.app.training;

import io.recsys.model.NextItemModel;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.TrainingStats;
import java.util.List;

/**
 * One optimiser step on a micro-batch, its step size scaled by the batch's share of a full batch.
 *
 * <p>Why: Adam normalises its update, so a step on 3 examples moves the weights as far as a step on
 * 256. A stream that trickles (a quiet hour, a trainer that has caught up and trains every {@code
 * recsys.trainer.batch.wait.ms}) would otherwise take many full-size steps on very noisy gradients.
 * Scaling the step linearly with the batch (the usual linear scaling rule) makes a trickle of small
 * batches move the model about as far as the same examples in full batches.
 */
public final class MicroBatchStep {
  private MicroBatchStep() {}

  /** Trains {@code model} on {@code batch}; {@code fullBatch} examples get the full step. */
  public static TrainingStats train(
      NextItemModel model, List<TrainingExample> batch, int fullBatch) {
    return train(model, batch, null, fullBatch);
  }

  /**
   * Trains {@code model} on {@code batch}, each example continuing its state in {@code starts} (see
   * {@link NextItemModel#train(List, List)}; null: every sequence from a fresh start).
   */
  public static TrainingStats train(
      NextItemModel model, List<TrainingExample> batch, List<SequenceState> starts, int fullBatch) {
    double share = Math.min(1.0, batch.size() / (double) fullBatch);
    if (share >= 1.0) {
      return model.train(batch, starts);
    }
    double rate = model.learningRate();
    model.setLearningRate(rate * share);
    try {
      return model.train(batch, starts);
    } finally {
      model.setLearningRate(rate);
    }
  }
}
