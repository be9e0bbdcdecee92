package io.recsys.model.data;

import java.util.Objects;

/**
 * One implicit interaction: a user touched an item at a time. The rating is kept for callers that
 * weight events; the leave-one-out protocol ignores it.
 */
public record Interaction(String userId, String itemId, double rating, long timestampMs) {
  public Interaction {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(itemId, "itemId");
    if (userId.isEmpty()) {
      throw new IllegalArgumentException("userId must not be empty, got '" + userId + "'");
    }
    if (itemId.isEmpty()) {
      throw new IllegalArgumentException("itemId must not be empty, got '" + itemId + "'");
    }
    if (!Double.isFinite(rating)) {
      throw new IllegalArgumentException("rating must be finite, got " + rating);
    }
  }
}
