package io.recsys.app.http;

import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.pipeline.serving.ModelRecommender;
import io.recsys.app.pipeline.serving.PopularityRecommender;
import io.recsys.app.pipeline.serving.Strategies;
import io.recsys.app.pipeline.serving.StrategySelector;
import io.recsys.features.UserFeatures;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.Strategy;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Answers "what should this user see now?" from local state, with the same strategies and the same
 * {@link StrategySelector} the stream uses (without its exploration share): the model's list where
 * it knows enough of the user's recent items, co-occurrence's, popularity's, or their blend.
 * Unknown users get the popularity list, marked as such.
 *
 * <p>The user's state comes from whichever copy the caller found ({@link LocalUserState}); an
 * answer from a copy that may be behind is marked stale.
 */
final class QueryRecommender {
  private final LocalUserState state;
  private final Strategies strategies;
  private final PopularityRecommender popularity;
  private final CurrentModel model;
  private final ModelRecommender modelRecommender;
  private final String servedBy;
  private final LongSupplier clock;

  QueryRecommender(
      LocalUserState state,
      Strategies strategies,
      CurrentModel model,
      ModelRecommender modelRecommender,
      String servedBy,
      LongSupplier clock) {
    this.state = state;
    this.strategies = strategies;
    this.popularity = strategies.popularity();
    this.model = model;
    this.modelRecommender = modelRecommender;
    this.servedBy = servedBy;
    this.clock = clock;
  }

  /**
   * @param stores the copy of the user's state to read
   * @param stale whether that copy may be behind the current one (a standby's, or any copy read
   *     while the active one is moving)
   */
  UserRecommendations recommend(
      LocalUserState.UserStores stores, String userId, int k, boolean stale) {
    long now = clock.getAsLong();
    Optional<UserFeatures> features = stores.features(userId);
    if (features.isEmpty()) {
      Recommendation popular =
          popularity.recommend(state.ranking(), userId, item -> false, k, now, now);
      return answer(false, stale, popular);
    }
    Predicate<String> seen = item -> stores.seen(userId, item);
    List<String> recent = features.get().recentItems();
    // Scores are expressed at the user's last event time, as the stream does, so that replayed
    // (old) event times do not decay every score to zero.
    long asOf = features.get().lastEventTime();
    Optional<CurrentModel.Loaded> loaded = model.get();
    Optional<List<String>> history = loaded.flatMap(m -> modelRecommender.history(m, recent));
    Recommendation learned =
        history.isEmpty()
            ? null
            : modelRecommender.recommendation(
                userId,
                loaded.get().recommend(history.get(), modelRecommender.candidates(k)),
                seen,
                k,
                loaded.get().version().version(),
                asOf,
                now);
    Recommendation served =
        strategies
            .choose(
                new Strategies.ListRequest(userId, recent, seen, k, asOf, now),
                state.ranking(),
                state::neighbours,
                learned,
                false)
            .served();
    if (served.strategy() == Strategy.MODEL) {
      served =
          modelRecommender.explained(loaded.get(), List.of(history.get()), List.of(served)).get(0);
    }
    return answer(true, stale, served);
  }

  /**
   * The popularity list, for when no copy of the user's state can be read right now (the instance
   * that held it died and none has taken over yet): something to show rather than an error, and
   * marked stale because it ignores what the user did.
   */
  UserRecommendations withoutState(String userId, int k) {
    long now = clock.getAsLong();
    Recommendation popular =
        popularity.recommend(state.ranking(), userId, item -> false, k, now, now);
    return new UserRecommendations(
        userId,
        false,
        popular.strategy(),
        popular.modelVersion(),
        popular.items(),
        "popular now; the user's history is moving between instances",
        popular.computedAt(),
        servedBy,
        true);
  }

  private UserRecommendations answer(boolean known, boolean stale, Recommendation recommendation) {
    return new UserRecommendations(
        recommendation.userId(),
        known,
        recommendation.strategy(),
        recommendation.modelVersion(),
        recommendation.items(),
        recommendation.reason(),
        recommendation.computedAt(),
        servedBy,
        stale);
  }
}
