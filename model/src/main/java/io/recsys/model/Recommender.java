package io.recsys.model;

import java.util.List;

/** Scores users' recent item sequences and returns their top items. */
public interface Recommender {
  /**
   * The top {@code k} items for each history (oldest item first), best first, with the history's
   * own items removed. Ties go to the item with the lower model row, so results are deterministic.
   * A history with no known item gets an empty list (the caller's cold-start fallback).
   */
  List<List<RecommendedItem>> recommend(List<List<String>> histories, int k);
}
