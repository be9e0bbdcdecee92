package io.recsys.app.pipeline.serving;

import io.recsys.features.ItemPopularity;
import io.recsys.features.ItemScore;
import io.recsys.features.PopularityRanking;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The popularity strategy: the best-ranked items a user has not interacted with. Shared by the
 * streaming step and the query API so that both give the same answer.
 */
public final class PopularityRecommender {
  public static final String MODEL_VERSION = "popularity";
  static final String REASON = "popular with everyone recently";

  private final long halfLifeMs;

  public PopularityRecommender(long halfLifeMs) {
    this.halfLifeMs = halfLifeMs;
  }

  /**
   * @param seen true for items the user interacted with
   * @param asOf event time at which scores are expressed (decayed weighted event counts)
   */
  public Recommendation recommend(
      PopularityRanking ranking,
      String userId,
      Predicate<String> seen,
      int k,
      long asOf,
      long computedAt) {
    List<ItemScore> top = ranking.top(k, seen);
    List<ScoredItem> items = new ArrayList<>(top.size());
    for (ItemScore candidate : top) {
      items.add(
          new ScoredItem(
              candidate.itemId(), ItemPopularity.scoreAt(candidate.logScore(), asOf, halfLifeMs)));
    }
    return new Recommendation(
        Recommendation.SCHEMA_VERSION,
        userId,
        items,
        MODEL_VERSION,
        Strategy.POPULARITY,
        asOf,
        computedAt,
        items.isEmpty() ? null : REASON);
  }
}
