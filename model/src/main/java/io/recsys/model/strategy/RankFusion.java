package io.recsys.model.strategy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal-rank fusion: an item's fused score is the sum over the lists that hold it of
 * {@code weight / (offset + rank)} (rank 1 for a list's first item). Ranks rather than scores,
 * because the strategies' scores (logits, decayed counts) are not on one scale; an item that two
 * good lists agree on rises above either list's own second choice.
 */
public final class RankFusion {
  /** The offset used where none is given; small, so that the first places weigh most. */
  public static final double DEFAULT_OFFSET = 2.0;

  private final double offset;

  public RankFusion(double offset) {
    if (!(offset >= 0)) {
      throw new IllegalArgumentException("offset: must be >= 0, got " + offset);
    }
    this.offset = offset;
  }

  /** One fused item and its score. */
  public record Fused<T>(T item, double score) {}

  /**
   * The top {@code k} items of the fused lists, best first; equal scores keep the order in which
   * the items were first met (list by list, best first).
   *
   * @param lists each strategy's items, best first
   * @param weights each list's weight (a list of weight 0 or less is left out)
   */
  public <T> List<Fused<T>> fuse(List<List<T>> lists, double[] weights, int k) {
    if (lists.size() != weights.length) {
      throw new IllegalArgumentException(
          "weights: one per list expected, got " + weights.length + " for " + lists.size());
    }
    Map<T, double[]> scores = new HashMap<>();
    List<T> order = new ArrayList<>();
    for (int l = 0; l < lists.size(); l++) {
      if (!(weights[l] > 0)) {
        continue;
      }
      List<T> list = lists.get(l);
      for (int rank = 0; rank < list.size(); rank++) {
        T item = list.get(rank);
        double[] score = scores.get(item);
        if (score == null) {
          score = new double[1];
          scores.put(item, score);
          order.add(item);
        }
        score[0] += weights[l] / (offset + rank + 1);
      }
    }
    List<Fused<T>> fused = new ArrayList<>(order.size());
    for (T item : order) {
      fused.add(new Fused<>(item, scores.get(item)[0]));
    }
    // A stable sort keeps first-met order among equal scores.
    fused.sort((a, b) -> Double.compare(b.score(), a.score()));
    return fused.size() > k ? List.copyOf(fused.subList(0, k)) : fused;
  }
}
