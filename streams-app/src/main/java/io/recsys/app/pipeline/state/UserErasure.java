package io.recsys.app.pipeline.state;

import io.recsys.schemas.UserDeletion;
import java.util.Map;

/**
 * A request to forget a user, on its way from the features step (which has erased what it keeps) to
 * serving (which erases the rest and reports).
 *
 * @param removed what the steps before removed, per store: records deleted
 */
public record UserErasure(String userId, UserDeletion deletion, Map<String, Long> removed)
    implements UserInput {
  public UserErasure {
    removed = Map.copyOf(removed);
  }
}
