package io.recsys.app.training;

import java.util.function.LongSupplier;

/**
 * Decides which examples a trainer that fell behind skips, so that what it does train reaches the
 * model within {@code recsys.trainer.max.lag.ms} of its timestamp (freshness).
 *
 * <p>An example reached at age {@code a} is published about {@code d} later: the micro-batch wait,
 * the training step and the publish interval. So an example is late once {@code a > bound - d}, not
 * {@code a > bound}; {@code d} is the longest of the last {@value #DELAYS_KEPT} measured delays
 * from taking an example to publishing it, which aims at the bound's p99 rather than its median. A
 * late example is skipped only when the feed holds examples newer than it by more than {@code d}:
 * skipping is how a trainer behind its own backlog catches up, but when examples already arrive
 * late (the pipeline before the trainer is behind) skipping the head of the feed would only lose
 * them, so the trainer then trains at the head. Not thread-safe.
 */
final class FreshnessBound {
  static final int DELAYS_KEPT = 16;

  private final long boundMs;
  private final long[] delays = new long[DELAYS_KEPT];
  private int delayCount;
  private int nextDelay;

  /**
   * @param boundMs the freshness bound; 0 turns skipping off
   */
  FreshnessBound(long boundMs) {
    if (boundMs < 0) {
      throw new IllegalArgumentException("boundMs must be >= 0, got " + boundMs);
    }
    this.boundMs = boundMs;
  }

  /**
   * Whether to skip an example with timestamp {@code timestampMs}, reached at {@code nowMs} while
   * the newest example in the feed has the timestamp {@code newestMs} gives (asked only for a late
   * example).
   */
  boolean skip(long nowMs, long timestampMs, LongSupplier newestMs) {
    if (boundMs == 0 || nowMs - timestampMs <= admissionAgeMs()) {
      return false;
    }
    return newestMs.getAsLong() - timestampMs > expectedDelayMs();
  }

  /** The oldest an example may be when reached and still be trained while the trainer is behind. */
  long admissionAgeMs() {
    return Math.max(0, boundMs - expectedDelayMs());
  }

  /** Reports a publish: {@code delayMs} from taking its earliest new example to publishing it. */
  void published(long delayMs) {
    delays[nextDelay] = Math.max(0, delayMs);
    nextDelay = (nextDelay + 1) % DELAYS_KEPT;
    delayCount = Math.min(DELAYS_KEPT, delayCount + 1);
  }

  /** The longest recent delay from taking an example to publishing it; 0 before any publish. */
  long expectedDelayMs() {
    long longest = 0;
    for (int i = 0; i < delayCount; i++) {
      longest = Math.max(longest, delays[i]);
    }
    return longest;
  }
}
