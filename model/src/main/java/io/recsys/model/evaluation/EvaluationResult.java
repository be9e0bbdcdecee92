package io.recsys.model.evaluation;

import io.recsys.model.ModelConfig;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one leave-one-out run: test metrics of the model and of both baselines, computed
 * on the same users with the same candidate sets, plus the cost of training.
 *
 * @param blend the rank fusion of the model, co-occurrence and popularity, weighted per history
 *     bucket by their validation figures
 * @param served the strategy the pipeline would serve each user: per history bucket, the one (blend
 *     included) that won on validation
 * @param servedByBucket per history bucket (such as "4-7"), how many test users got each strategy
 * @param blendFusion how the blend fused the lists, chosen on validation (such as "weights^2,
 *     offset 10": each list weighted by its validation NDCG@10 squared, rank discount 1/(10+rank))
 * @param cooccurrenceBackwardWeight co-occurrence's weight of "A came before B" pairs, chosen on
 *     validation among a few (the pipeline's is {@code recsys.cooccurrence.backward.weight})
 * @param bestEpoch 1-based epoch whose weights were tested (best validation NDCG@10)
 * @param bestEpochsAveraged how many epochs up to {@code bestEpoch} the tested weights average (1:
 *     that epoch's own weights)
 * @param examplesPerSecond training targets processed per second of training time
 */
public record EvaluationResult(
    RankingSummary model,
    RankingSummary popularity,
    RankingSummary cooccurrence,
    RankingSummary blend,
    RankingSummary served,
    Map<String, Map<String, Long>> servedByBucket,
    String blendFusion,
    double cooccurrenceBackwardWeight,
    double bestValidationNdcg10,
    int bestEpoch,
    int bestEpochsAveraged,
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
    Objects.requireNonNull(blend, "blend");
    Objects.requireNonNull(served, "served");
    servedByBucket =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(servedByBucket));
    Objects.requireNonNull(config, "config");
  }
}
