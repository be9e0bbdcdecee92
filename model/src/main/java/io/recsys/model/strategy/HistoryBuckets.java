package io.recsys.model.strategy;

/**
 * Groups users by how many items they have interacted with, the trait by which strategies differ
 * most: popularity for the newest users, co-occurrence for short histories, the sequence model
 * where it has read enough. Buckets double in width: 1, 2-3, 4-7, 8-15, 16-31, 32 and more.
 */
public final class HistoryBuckets {
  /** The number of buckets. */
  public static final int COUNT = 6;

  private HistoryBuckets() {}

  /** The bucket of a user with {@code items} items in the history (0 for none or one). */
  public static int of(int items) {
    if (items <= 1) {
      return 0;
    }
    return Math.min(COUNT - 1, 31 - Integer.numberOfLeadingZeros(items));
  }

  /** A readable name of {@code bucket}, such as "4-7". */
  public static String label(int bucket) {
    if (bucket < 0 || bucket >= COUNT) {
      throw new IllegalArgumentException("bucket must be in [0, " + COUNT + "), got " + bucket);
    }
    if (bucket == 0) {
      return "1";
    }
    int low = 1 << bucket;
    return bucket == COUNT - 1 ? low + "+" : low + "-" + (2 * low - 1);
  }
}
