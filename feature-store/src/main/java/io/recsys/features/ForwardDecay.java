package io.recsys.features;

/**
 * Time-decayed sums kept by forward decay (Cormode et al., ICDE 2009): a weight {@code w} at time
 * {@code t} adds {@code w * 2^(t / halfLife)}, and the sum's value at time {@code now} is the sum
 * divided by {@code 2^(now / halfLife)}. Dividing by the same factor for every sum does not change
 * their order, so sums updated at different times stay comparable without rescanning them, and a
 * stored sum only ever grows. Sums are kept as their natural logarithm so that they never overflow.
 */
public final class ForwardDecay {
  /** The log of an empty sum. */
  public static final double EMPTY = Double.NEGATIVE_INFINITY;

  private ForwardDecay() {}

  /** The log sum {@code logSum} after adding {@code weight} (> 0) at {@code time}. */
  public static double add(double logSum, double weight, long time, long halfLifeMs) {
    return logAddExp(logSum, Math.log(weight) + time * (Math.log(2) / halfLifeMs));
  }

  /** The decayed sum as seen at {@code time}: what a person would call its value. */
  public static double valueAt(double logSum, long time, long halfLifeMs) {
    return Math.exp(logSum - time * (Math.log(2) / halfLifeMs));
  }

  static double logAddExp(double a, double b) {
    if (a == EMPTY) {
      return b;
    }
    if (b == EMPTY) {
      return a;
    }
    double max = Math.max(a, b);
    return max + Math.log1p(Math.exp(-Math.abs(a - b)));
  }
}
