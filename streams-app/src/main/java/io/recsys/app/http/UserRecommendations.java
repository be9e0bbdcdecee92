package io.recsys.app.http;

import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.List;

/**
 * The answer of {@code GET /users/{id}/recommendations}.
 *
 * @param userId the user asked about
 * @param knownUser false when the pipeline has never seen the user: the list is then the popularity
 *     list, not a personal one
 * @param strategy what produced the list
 * @param modelVersion version of the model that scored it, "popularity" for the fallback
 * @param items best first, never an item the user interacted with
 * @param reason a short human-readable reason, or null
 * @param computedAt wall-clock time (epoch ms) of the computation
 * @param servedBy the instance ({@code application.server}) that owns the user and answered
 */
public record UserRecommendations(
    String userId,
    boolean knownUser,
    Strategy strategy,
    String modelVersion,
    List<ScoredItem> items,
    String reason,
    long computedAt,
    String servedBy) {

  public UserRecommendations {
    items = List.copyOf(items);
  }
}
