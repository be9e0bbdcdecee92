package io.recsys.model;

import java.util.Objects;

/** One recommended item with its model score (a logit: higher is better). */
public record RecommendedItem(String itemId, double score) {
  public RecommendedItem {
    Objects.requireNonNull(itemId, "itemId");
  }
}
