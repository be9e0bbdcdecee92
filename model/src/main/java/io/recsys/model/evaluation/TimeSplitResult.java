package io.recsys.model.evaluation;

import io.recsys.model.ModelConfig;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of training with a split by time ({@link TimeSplitEvaluation}).
 *
 * @param model the best epoch's model on the held-out events
 * @param popularity popularity of the training events, on the same held-out events
 * @param bestValidationNdcg10 NDCG@10 of the best epoch on the held-out events (the same events
 *     that report {@code model}, so {@code model.ndcg10()} equals it)
 * @param bestEpoch 1-based epoch whose weights were kept
 * @param bestEpochsAveraged how many epochs up to {@code bestEpoch} the kept weights average (1:
 *     that epoch's own weights)
 * @param epochSeconds wall time of each epoch run, training and validation
 * @param examplesPerSecond training targets per second of training time
 * @param trainEvents events before the cutoff
 * @param heldOutEvents held-out events scored (with a history)
 * @param coldHeldOut held-out events without a history, not scored
 */
public record TimeSplitResult(
    RankingSummary model,
    RankingSummary popularity,
    double bestValidationNdcg10,
    int bestEpoch,
    int bestEpochsAveraged,
    int epochsRun,
    List<Double> epochSeconds,
    double trainingSeconds,
    double examplesPerSecond,
    int users,
    int items,
    long cutoffMs,
    long trainEvents,
    int heldOutEvents,
    int coldHeldOut,
    ModelConfig config) {
  public TimeSplitResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(popularity, "popularity");
    Objects.requireNonNull(config, "config");
    epochSeconds = List.copyOf(epochSeconds);
  }

  /** Mean wall time of an epoch. */
  public double secondsPerEpoch() {
    return epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(0);
  }
}
