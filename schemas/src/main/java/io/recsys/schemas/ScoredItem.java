package io.recsys.schemas;

/** One recommended item and its score; higher is better, comparable only within one list. */
public record ScoredItem(String itemId, double score) {
  public ScoredItem {
    if (itemId == null || itemId.isBlank()) {
      throw new IllegalArgumentException("itemId: must be a non-blank string, got " + itemId);
    }
  }
}
