package io.recsys.app.demo;

/**
 * Shape of the synthetic user behaviour of the demo.
 *
 * @param users users; their activity is Zipf-skewed (a few heavy users, many light ones)
 * @param initialItems items in the catalogue at the start
 * @param categories item categories; each user prefers a few of them
 * @param seriesLength items per series (a season of a show, volumes of a book): consecutive items
 *     of one category, usually consumed in order
 * @param concurrentSessions sessions in flight at once, interleaved like real traffic
 * @param newItemEvery on average one new item appears per this many events
 * @param meanGapMs mean event-time gap between consecutive events of the whole stream
 * @param startTime event time of the first event, epoch ms
 * @param seed seed of every random choice
 */
public record SyntheticBehaviourConfig(
    int users,
    int initialItems,
    int categories,
    int seriesLength,
    int concurrentSessions,
    int newItemEvery,
    double meanGapMs,
    long startTime,
    long seed) {

  public SyntheticBehaviourConfig {
    atLeast("users", users, 1);
    atLeast("categories", categories, 1);
    atLeast("seriesLength", seriesLength, 1);
    atLeast("initialItems", initialItems, categories * seriesLength);
    atLeast("concurrentSessions", concurrentSessions, 1);
    atLeast("newItemEvery", newItemEvery, 1);
    if (!(meanGapMs > 0)) {
      throw new IllegalArgumentException("meanGapMs: must be > 0, got " + meanGapMs);
    }
    if (startTime <= 0) {
      throw new IllegalArgumentException("startTime: must be positive epoch ms, got " + startTime);
    }
  }

  /** 20,000 users, 3,000 items in 30 categories, series of 4, 500 sessions at once. */
  public static SyntheticBehaviourConfig defaults(long seed) {
    return new SyntheticBehaviourConfig(
        20_000, 3_000, 30, 4, 500, 400, 50.0, 1_704_067_200_000L, seed);
  }

  private static void atLeast(String name, long value, long minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + ": must be >= " + minimum + ", got " + value);
    }
  }
}
