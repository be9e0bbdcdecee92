package io.recsys.app.eventfiles;

import io.recsys.model.data.Interaction;
import io.recsys.schemas.UserEvent;

/**
 * One event read from a file.
 *
 * @param eventType the file's type column, or {@code rating} where it has a value column but no
 *     type, or {@code view}
 * @param value the value column (a rating), or null
 * @param line the line it was read from (1 is the first line of the file)
 */
public record FileEvent(
    String userId, String itemId, String eventType, Double value, long timestampMs, long line) {

  /** As the pipeline receives it. */
  public UserEvent toUserEvent() {
    return new UserEvent(userId, itemId, eventType, value, timestampMs);
  }

  /** As offline evaluation and retraining read it (a missing value counts as 1). */
  public Interaction toInteraction() {
    return new Interaction(userId, itemId, value == null ? 1.0 : value, timestampMs);
  }
}
