package io.recsys.model;

/**
 * How item ids get model rows.
 *
 * @param initialCapacity rows allocated up front (default 1024)
 * @param growthChunk rows added at once when the table is full, or an eighth of the rows if more;
 *     growing copies every table, so it is done in chunks rather than per item (default 1024)
 * @param minCount times an item must be seen before it gets a row (Monolith's frequency filter;
 *     default 1 = admit on first sight)
 * @param expireAfterMs an item unseen this long loses its row on {@link
 *     NextItemModel#expireUnseen(long)}; 0 = never (default 0)
 */
public record VocabularyConfig(
    int initialCapacity, int growthChunk, int minCount, long expireAfterMs) {
  public VocabularyConfig {
    if (initialCapacity <= 0) {
      throw new IllegalArgumentException("initialCapacity must be > 0, got " + initialCapacity);
    }
    if (growthChunk <= 0) {
      throw new IllegalArgumentException("growthChunk must be > 0, got " + growthChunk);
    }
    if (minCount <= 0) {
      throw new IllegalArgumentException("minCount must be > 0, got " + minCount);
    }
    if (expireAfterMs < 0) {
      throw new IllegalArgumentException("expireAfterMs must be >= 0, got " + expireAfterMs);
    }
  }

  public static VocabularyConfig defaults() {
    return new VocabularyConfig(1024, 1024, 1, 0L);
  }
}
