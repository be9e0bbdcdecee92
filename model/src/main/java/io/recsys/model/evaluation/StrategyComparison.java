package io.recsys.model.evaluation;

import io.recsys.model.internal.TopK;
import io.recsys.model.strategy.HistoryBuckets;
import io.recsys.model.strategy.RankFusion;
import io.recsys.model.strategy.StrategyEvidence;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The served strategy under the offline protocol, chosen the way the pipeline chooses it: the
 * validation targets are the evidence ({@link StrategyEvidence}, per history bucket), and each test
 * user gets the blend of all three unless a single strategy beat it clearly (by {@link
 * #SWITCH_MARGIN} standard errors) in the user's bucket on validation. Validation never sees a test
 * target, so the choice is not fitted to the test.
 */
final class StrategyComparison {
  private static final Logger LOG = LoggerFactory.getLogger(StrategyComparison.class);

  /** How deep each strategy's list goes into the blend. */
  static final int FUSED_DEPTH = 50;

  private static final List<EvaluatedStrategy> FUSED =
      List.of(
          EvaluatedStrategy.MODEL, EvaluatedStrategy.COOCCURRENCE, EvaluatedStrategy.POPULARITY);

  /** How the single lists are fused: weights are their validation figures raised to a power. */
  record Fusion(double power, double offset) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "weights^%.0f, offset %.0f", power, offset);
    }
  }

  /**
   * The fusions tried on validation. Sharper weights let the better list lead; a larger offset
   * flattens the rank discount so that agreement deeper in the lists counts (60 is the constant of
   * the original reciprocal rank fusion).
   */
  static final List<Fusion> FUSIONS =
      List.of(
          new Fusion(1, RankFusion.DEFAULT_OFFSET),
          new Fusion(2, RankFusion.DEFAULT_OFFSET),
          new Fusion(4, RankFusion.DEFAULT_OFFSET),
          new Fusion(1, 10),
          new Fusion(2, 10),
          new Fusion(4, 10),
          new Fusion(1, 60),
          new Fusion(2, 60),
          new Fusion(4, 60));

  /**
   * The blend's and the served strategy's test figures, what was served per bucket, and the fusion
   * chosen on validation.
   */
  record Outcome(
      RankingSummary blend,
      RankingSummary served,
      Map<String, Map<String, Long>> servedByBucket,
      Fusion fusion) {}

  /** One user's scores per single strategy, over the whole catalogue. */
  interface Scores {
    float[] of(EvaluatedStrategy strategy, int user);
  }

  /** Standard errors by which a strategy must lead the blend on validation to be served. */
  static final double SWITCH_MARGIN = 1.0;

  // Every validation event counts the same: a half-life far beyond any catalogue's user count.
  private final StrategyEvidence<EvaluatedStrategy> evidence =
      new StrategyEvidence<>(EvaluatedStrategy.class, Integer.MAX_VALUE, 20, SWITCH_MARGIN);

  /**
   * @param validation scores of each user's validation input, by user index
   * @param validationTargets each user's validation item row
   * @param validationHistories each user's validation input rows
   */
  Outcome compare(
      Scores validation,
      int[] validationTargets,
      List<int[]> validationHistories,
      Scores test,
      int[] testTargets,
      List<int[]> testHistories) {
    int users = validationTargets.length;
    List<EnumMap<EvaluatedStrategy, int[]>> validationTops = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      int bucket = HistoryBuckets.of(validationHistories.get(u).length);
      BitSet seen = Ranks.excluding(validationHistories.get(u));
      EnumMap<EvaluatedStrategy, int[]> tops = new EnumMap<>(EvaluatedStrategy.class);
      for (EvaluatedStrategy s : FUSED) {
        float[] scores = validation.of(s, u);
        tops.put(s, TopK.best(scores, 0, scores.length, FUSED_DEPTH, row -> !seen.get(row)));
        int rank = Ranks.rankOf(scores, validationTargets[u], seen);
        evidence.record(bucket, s, RankingMetrics.ndcg(rank, 10));
      }
      validationTops.add(tops);
    }
    // The blend's weights come from the single strategies' evidence, so it is scored second,
    // with the fusion that does best on validation.
    Fusion fusion = FUSIONS.get(0);
    double best = Double.NEGATIVE_INFINITY;
    for (Fusion candidate : FUSIONS) {
      RankAccumulator figure = new RankAccumulator();
      for (int u = 0; u < users; u++) {
        int bucket = HistoryBuckets.of(validationHistories.get(u).length);
        figure.add(blendRank(validationTops.get(u), bucket, validationTargets[u], candidate));
      }
      LOG.info(
          "Blend fused with {}: validation NDCG@10 {}",
          candidate,
          String.format(java.util.Locale.ROOT, "%.4f", figure.summary().ndcg10()));
      if (figure.summary().ndcg10() > best) {
        best = figure.summary().ndcg10();
        fusion = candidate;
      }
    }
    for (int u = 0; u < users; u++) {
      int bucket = HistoryBuckets.of(validationHistories.get(u).length);
      int rank = blendRank(validationTops.get(u), bucket, validationTargets[u], fusion);
      evidence.record(bucket, EvaluatedStrategy.BLEND, RankingMetrics.ndcg(rank, 10));
    }

    RankAccumulator blend = new RankAccumulator();
    RankAccumulator served = new RankAccumulator();
    Map<String, Map<String, Long>> byBucket = new LinkedHashMap<>();
    Set<EvaluatedStrategy> all = Set.of(EvaluatedStrategy.values());
    for (int u = 0; u < users; u++) {
      int bucket = HistoryBuckets.of(testHistories.get(u).length);
      BitSet seen = Ranks.excluding(testHistories.get(u));
      EnumMap<EvaluatedStrategy, int[]> tops = new EnumMap<>(EvaluatedStrategy.class);
      EnumMap<EvaluatedStrategy, Integer> ranks = new EnumMap<>(EvaluatedStrategy.class);
      for (EvaluatedStrategy s : FUSED) {
        float[] scores = test.of(s, u);
        tops.put(s, TopK.best(scores, 0, scores.length, FUSED_DEPTH, row -> !seen.get(row)));
        ranks.put(s, Ranks.rankOf(scores, testTargets[u], seen));
      }
      int blendRank = blendRank(tops, bucket, testTargets[u], fusion);
      ranks.put(EvaluatedStrategy.BLEND, blendRank);
      blend.add(blendRank);
      EvaluatedStrategy chosen = evidence.best(bucket, all, EvaluatedStrategy.BLEND);
      served.add(ranks.get(chosen));
      byBucket
          .computeIfAbsent(HistoryBuckets.label(bucket), b -> new LinkedHashMap<>())
          .merge(chosen.name().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
    }
    return new Outcome(blend.summary(), served.summary(), byBucket, fusion);
  }

  /** The target's 0-based place in the blend of {@code tops}; past the blend's end when absent. */
  private int blendRank(
      EnumMap<EvaluatedStrategy, int[]> tops, int bucket, int target, Fusion fusion) {
    List<List<Integer>> lists = new ArrayList<>(FUSED.size());
    for (EvaluatedStrategy s : FUSED) {
      List<Integer> rows = new ArrayList<>(FUSED_DEPTH);
      for (int row : tops.get(s)) {
        rows.add(row);
      }
      lists.add(rows);
    }
    double[] weights = evidence.weights(bucket, FUSED);
    for (int i = 0; i < weights.length; i++) {
      weights[i] = Math.pow(weights[i], fusion.power());
    }
    List<RankFusion.Fused<Integer>> fused =
        new RankFusion(fusion.offset()).fuse(lists, weights, FUSED_DEPTH);
    for (int i = 0; i < fused.size(); i++) {
      if (fused.get(i).item() == target) {
        return i;
      }
    }
    return FUSED_DEPTH * FUSED.size();
  }
}
