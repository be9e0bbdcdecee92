package io.recsys.features;

/**
 * Time-decayed popularity of one item (store {@code item-popularity}, key = item id).
 *
 * <p>Uses forward decay (Cormode et al., ICDE 2009): an event of weight {@code w} at time {@code t}
 * adds {@code w * 2^(t / halfLife)} and the score at time {@code now} is the sum divided by {@code
 * 2^(now / halfLife)}. Dividing by the same factor for every item does not change their order, so
 * items updated at different times stay comparable without rescanning them, and a score only ever
 * grows. The sum is kept as its natural logarithm so that it never overflows.
 *
 * @param logScore natural log of the forward-decayed weighted event count
 * @param eventCount number of events ever
 * @param lastEventTime newest event time (epoch ms)
 */
public record ItemPopularity(double logScore, long eventCount, long lastEventTime) {

  public static final ItemPopularity NONE = new ItemPopularity(Double.NEGATIVE_INFINITY, 0L, 0L);

  /** This popularity after one event of {@code weight} at {@code eventTime}. */
  public ItemPopularity plus(double weight, long eventTime, long halfLifeMs) {
    double term = Math.log(weight) + eventTime * (Math.log(2) / halfLifeMs);
    return new ItemPopularity(
        logAddExp(logScore, term), eventCount + 1, Math.max(lastEventTime, eventTime));
  }

  /** The decayed weighted event count as seen at {@code time}: what a person would call "score". */
  public static double scoreAt(double logScore, long time, long halfLifeMs) {
    return Math.exp(logScore - time * (Math.log(2) / halfLifeMs));
  }

  static double logAddExp(double a, double b) {
    if (a == Double.NEGATIVE_INFINITY) {
      return b;
    }
    if (b == Double.NEGATIVE_INFINITY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log1p(Math.exp(-Math.abs(a - b)));
  }
}
