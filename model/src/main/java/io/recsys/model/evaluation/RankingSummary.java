package io.recsys.model.evaluation;

/** Metrics averaged over the evaluated users of one recommender. */
public record RankingSummary(
    double hr10, double ndcg10, double mrr10, double hr20, double ndcg20, int users) {
  public RankingSummary {
    checkUnit("hr10", hr10);
    checkUnit("ndcg10", ndcg10);
    checkUnit("mrr10", mrr10);
    checkUnit("hr20", hr20);
    checkUnit("ndcg20", ndcg20);
    if (users < 0) {
      throw new IllegalArgumentException("users must be >= 0, got " + users);
    }
  }

  private static void checkUnit(String name, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
    }
  }
}
