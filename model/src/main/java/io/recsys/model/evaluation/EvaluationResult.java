package io.recsys.model.evaluation;

import io.recsys.model.ModelConfig;
import java.util.Objects;

/**
 * The outcome of one leave-one-out run: test metrics of the model and of both baselines, computed
 * on the same users with the same candidate sets, plus the cost of training.
 *
 * @param bestEpoch 1-based epoch whose weights were tested (best validation NDCG@10)
 * @param examplesPerSecond training targets processed per second of training time
 */
public record EvaluationResult(
    RankingSummary model,
    RankingSummary popularity,
    RankingSummary cooccurrence,
    double bestValidationNdcg10,
    int bestEpoch,
    int epochsRun,
    double trainingSeconds,
    double examplesPerSecond,
    int users,
    int items,
    ModelConfig config) {
  public EvaluationResult {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(popularity, "popularity");
    Objects.requireNonNull(cooccurrence, "cooccurrence");
    Objects.requireNonNull(config, "config");
  }
}
