package io.recsys.app.http;

import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.List;

/**
 * The answer of {@code GET /users/{id}/recommendations}.
 *
 * @param userId the user asked about
 * @param knownUser false when the pipeline has never seen the user, or when no copy of the user's
 *     state could be read (then {@code stale} is true): the list is then the popularity list, not a
 *     personal one
 * @param strategy what produced the list
 * @param modelVersion version of the model that scored it, "popularity" for the fallback
 * @param items best first, never an item the user interacted with
 * @param reason a short human-readable reason, or null
 * @param computedAt wall-clock time (epoch ms) of the computation
 * @param servedBy the instance ({@code application.server}) that answered
 * @param stale true when the answer was read from a copy of the user's state that may be behind (a
 *     standby's, while the instance that owned the user is down or its partitions are moving), or
 *     without the user's state at all
 */
public record UserRecommendations(
    String userId,
    boolean knownUser,
    Strategy strategy,
    String modelVersion,
    List<ScoredItem> items,
    String reason,
    long computedAt,
    String servedBy,
    boolean stale) {

  public UserRecommendations {
    items = List.copyOf(items);
  }
}
