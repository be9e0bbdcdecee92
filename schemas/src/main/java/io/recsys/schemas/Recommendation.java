package io.recsys.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The value of the {@code recommendations} topic (key = {@link #userId()}): the user's current
 * top-K list. Later records for a user replace earlier ones (last write wins), so consumers may
 * read the topic as a table.
 *
 * @param schemaVersion version of this record's layout, {@link #SCHEMA_VERSION} when written
 * @param userId the user the list is for
 * @param items best first, never containing an item the user already interacted with
 * @param modelVersion version of the model that scored the list; "popularity" for the fallback
 * @param strategy what produced the list
 * @param eventTime event time (epoch ms) of the event that triggered this list
 * @param computedAt wall-clock time (epoch ms) at which the list was computed
 * @param reason a short human-readable reason, or null when there is none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recommendation(
    int schemaVersion,
    String userId,
    List<ScoredItem> items,
    String modelVersion,
    Strategy strategy,
    long eventTime,
    long computedAt,
    String reason) {

  public static final int SCHEMA_VERSION = 1;

  public Recommendation {
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("userId: must be a non-blank string, got " + userId);
    }
    items = List.copyOf(items);
    if (strategy == null) {
      throw new IllegalArgumentException("strategy: must not be null");
    }
  }

  /** This list with {@code newReason} as its reason. */
  public Recommendation withReason(String newReason) {
    return new Recommendation(
        schemaVersion, userId, items, modelVersion, strategy, eventTime, computedAt, newReason);
  }
}
