package io.recsys.features;

/**
 * Time-decayed popularity of one item (store {@code item-popularity}, key = item id), a {@link
 * ForwardDecay} sum of its weighted events, so that items updated at different times compare
 * without rescanning them.
 *
 * @param logScore natural log of the forward-decayed weighted event count
 * @param eventCount number of events ever
 * @param lastEventTime newest event time (epoch ms)
 */
public record ItemPopularity(double logScore, long eventCount, long lastEventTime) {

  public static final ItemPopularity NONE = new ItemPopularity(Double.NEGATIVE_INFINITY, 0L, 0L);

  /** This popularity after one event of {@code weight} at {@code eventTime}. */
  public ItemPopularity plus(double weight, long eventTime, long halfLifeMs) {
    return new ItemPopularity(
        ForwardDecay.add(logScore, weight, eventTime, halfLifeMs),
        eventCount + 1,
        Math.max(lastEventTime, eventTime));
  }

  /** The decayed weighted event count as seen at {@code time}: what a person would call "score". */
  public static double scoreAt(double logScore, long time, long halfLifeMs) {
    return ForwardDecay.valueAt(logScore, time, halfLifeMs);
  }
}
