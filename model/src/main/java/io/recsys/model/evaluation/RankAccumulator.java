package io.recsys.model.evaluation;

/** Sums the metrics of one target rank per user; not thread-safe. */
public final class RankAccumulator {
  private double hr10;
  private double ndcg10;
  private double mrr10;
  private double hr20;
  private double ndcg20;
  private int users;

  /** Adds one user whose held-out item came at 0-based {@code rank}. */
  public void add(int rank) {
    hr10 += RankingMetrics.hitRate(rank, 10);
    ndcg10 += RankingMetrics.ndcg(rank, 10);
    mrr10 += RankingMetrics.mrr(rank, 10);
    hr20 += RankingMetrics.hitRate(rank, 20);
    ndcg20 += RankingMetrics.ndcg(rank, 20);
    users++;
  }

  public RankingSummary summary() {
    if (users == 0) {
      return new RankingSummary(0, 0, 0, 0, 0, 0);
    }
    return new RankingSummary(
        hr10 / users, ndcg10 / users, mrr10 / users, hr20 / users, ndcg20 / users, users);
  }
}
