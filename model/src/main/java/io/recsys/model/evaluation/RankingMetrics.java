package io.recsys.model.evaluation;

/**
 * Ranking metrics for one target item, from its 0-based rank among the candidates (0 = first). With
 * a single relevant item the ideal DCG is 1, so NDCG@K is {@code 1 / log2(rank + 2)}.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  public static double hitRate(int rank, int k) {
    checkArgs(rank, k);
    return rank < k ? 1.0 : 0.0;
  }

  public static double ndcg(int rank, int k) {
    checkArgs(rank, k);
    return rank < k ? 1.0 / log2(rank + 2.0) : 0.0;
  }

  public static double mrr(int rank, int k) {
    checkArgs(rank, k);
    return rank < k ? 1.0 / (rank + 1.0) : 0.0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2.0);
  }

  private static void checkArgs(int rank, int k) {
    if (rank < 0) {
      throw new IllegalArgumentException("rank must be >= 0, got " + rank);
    }
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
  }
}
