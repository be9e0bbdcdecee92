package io.recsys.features;

import java.util.Comparator;

/** An item and its forward-decayed log score (see {@link ItemPopularity}). */
public record ItemScore(String itemId, double logScore) {

  /** Best first; ties broken by item id so that every instance ranks identically. */
  public static final Comparator<ItemScore> BEST_FIRST =
      Comparator.comparingDouble(ItemScore::logScore).reversed().thenComparing(ItemScore::itemId);
}
