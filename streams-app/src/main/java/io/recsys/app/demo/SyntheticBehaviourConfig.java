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
 * @param categorySkew Zipf exponent of the categories users prefer: 0 spreads tastes evenly, 1
 *     makes a few categories (and so their items) far more popular than the long tail
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
    double categorySkew,
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
    if (!(categorySkew >= 0 && categorySkew <= 3)) {
      throw new IllegalArgumentException("categorySkew: must be in [0, 3], got " + categorySkew);
    }
    if (startTime <= 0) {
      throw new IllegalArgumentException("startTime: must be positive epoch ms, got " + startTime);
    }
  }

  /** 20,000 users, 3,000 items in 30 categories, series of 4, 500 sessions at once. */
  public static SyntheticBehaviourConfig defaults(long seed) {
    return new SyntheticBehaviourConfig(
        20_000, 3_000, 30, 4, 500, 400, 50.0, 1_704_067_200_000L, 0.0, seed);
  }

  /**
   * A catalogue of {@code items} and {@code users} users, for figures at catalogue scale: 100 items
   * per category as in the defaults, tastes skewed over categories (exponent 0.8) so that
   * popularity has a long tail across the whole catalogue, and sessions in proportion to users.
   */
  public static SyntheticBehaviourConfig scaled(long seed, int items, int users) {
    SyntheticBehaviourConfig d = defaults(seed);
    int categories = Math.max(d.categories(), items / 100);
    return new SyntheticBehaviourConfig(
        users,
        Math.max(items, categories * d.seriesLength()),
        categories,
        d.seriesLength(),
        Math.max(d.concurrentSessions(), Math.min(50_000, users / 40)),
        d.newItemEvery(),
        d.meanGapMs(),
        d.startTime(),
        0.8,
        seed);
  }

  /** This behaviour with its first event at {@code time} (epoch ms). */
  public SyntheticBehaviourConfig startingAt(long time) {
    return new SyntheticBehaviourConfig(
        users,
        initialItems,
        categories,
        seriesLength,
        concurrentSessions,
        newItemEvery,
        meanGapMs,
        time,
        categorySkew,
        seed);
  }

  private static void atLeast(String name, long value, long minimum) {
    if (value < minimum) {
      throw new IllegalArgumentException(name + ": must be >= " + minimum + ", got " + value);
    }
  }
}
