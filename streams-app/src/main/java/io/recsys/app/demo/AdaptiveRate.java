package io.recsys.app.demo;

/**
 * The demo's default input rate: the rate this machine sustains, found while feeding. The
 * controller reads the backlog (events sent and not yet answered, plus under {@code --pace trainer}
 * the examples not yet trained) as seconds of input at the current rate, which is the time an event
 * spends in the system. The least such time seen is what the pipeline takes when nothing queues
 * (batch waits, commits); the controller allows a queueing budget on top: below half of it the rate
 * grows by 5%, above it the rate drops by 15%. So the run measures the system at a load it carries,
 * not behind a queue of its own making. Not thread-safe: the feed thread alone uses it.
 */
final class AdaptiveRate {
  static final double START_PER_SECOND = 200;
  static final double MIN_PER_SECOND = 10;
  private static final long ADJUST_EVERY_NANOS = 250_000_000L;

  private final double budgetSeconds;
  private double rate = START_PER_SECOND;
  private double floorSeconds = Double.MAX_VALUE;
  private long lastAdjust = Long.MIN_VALUE;

  /**
   * @param budgetSeconds how much queueing the feed allows above the pipeline's own time
   */
  AdaptiveRate(double budgetSeconds) {
    if (!(budgetSeconds > 0)) {
      throw new IllegalArgumentException("budgetSeconds: must be > 0, got " + budgetSeconds);
    }
    this.budgetSeconds = budgetSeconds;
  }

  /** The rate to feed at now, given the backlog; changes at most four times a second. */
  double update(long backlog, long nowNanos) {
    if (lastAdjust != Long.MIN_VALUE && nowNanos - lastAdjust < ADJUST_EVERY_NANOS) {
      return rate;
    }
    lastAdjust = nowNanos;
    double seconds = backlog / rate;
    floorSeconds = Math.min(floorSeconds, seconds);
    if (seconds > floorSeconds + budgetSeconds) {
      rate = Math.max(MIN_PER_SECOND, rate * 0.85);
    } else if (seconds < floorSeconds + budgetSeconds / 2) {
      rate *= 1.05;
    }
    return rate;
  }

  double rate() {
    return rate;
  }
}
