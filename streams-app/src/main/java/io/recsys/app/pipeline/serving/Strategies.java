package io.recsys.app.pipeline.serving;

import io.recsys.app.config.RecsysSettings;
import io.recsys.features.ItemNeighbours;
import io.recsys.features.PopularityRanking;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.Strategy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The strategies an instance recommends with and the choice among them, one set per instance: every
 * task of its topology and its query API share them, so both make and choose lists alike.
 *
 * @param cooccurrence null when co-occurrence is off
 */
public record Strategies(
    PopularityRecommender popularity,
    CooccurrenceRecommender cooccurrence,
    StrategySelector selector) {

  /** The strategies {@code settings} ask for, with a new selector. */
  public static Strategies of(RecsysSettings settings) {
    RecsysSettings.Cooccurrence cooccurrence = settings.cooccurrence();
    return new Strategies(
        new PopularityRecommender(settings.popularity().halfLifeMs()),
        cooccurrence.enabled()
            ? new CooccurrenceRecommender(cooccurrence.weights(), cooccurrence.halfLifeMs())
            : null,
        new StrategySelector(settings.serving().selection()));
  }

  /**
   * What one list is asked for.
   *
   * @param recentItems the user's items, oldest first
   * @param seen true for items the user interacted with (never recommended)
   * @param asOf event time at which time-decayed scores are expressed
   * @param computedAt wall-clock time the list is made
   */
  public record ListRequest(
      String userId,
      List<String> recentItems,
      Predicate<String> seen,
      int k,
      long asOf,
      long computedAt) {}

  /**
   * Every strategy's list for {@code request} and the choice among them.
   *
   * @param neighbours an item's published co-occurrence neighbours, or null for none
   * @param modelList the model's list, made by the caller (the stream scores a batch of users in
   *     one model call), or null where the model made none
   * @param explore whether the list may be one of the exploration share
   */
  public StrategySelector.Choice choose(
      ListRequest request,
      PopularityRanking ranking,
      Function<String, ItemNeighbours> neighbours,
      Recommendation modelList,
      boolean explore) {
    Map<Strategy, Recommendation> lists = new EnumMap<>(Strategy.class);
    lists.put(
        Strategy.POPULARITY,
        popularity.recommend(
            ranking,
            request.userId(),
            request.seen(),
            request.k(),
            request.asOf(),
            request.computedAt()));
    if (modelList != null) {
      lists.put(Strategy.MODEL, modelList);
    }
    if (cooccurrence != null) {
      Recommendation list =
          cooccurrence.recommend(
              neighbours,
              request.userId(),
              request.recentItems(),
              request.seen(),
              request.k(),
              request.asOf(),
              request.computedAt());
      if (list != null) {
        lists.put(Strategy.COOCCURRENCE, list);
      }
    }
    return selector.choose(request.recentItems().size(), lists, request.k(), explore);
  }
}
