package io.recsys.schemas;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Which event times are plausible: not before {@code minMillis}, and not more than {@code
 * maxFutureMillis} ahead of the clock. An epoch-seconds value is the common mistake (it reads as a
 * date in January 1970), and microseconds the rarer one; both are named in the rejection.
 *
 * @param minMillis the earliest accepted event time (epoch ms)
 * @param maxFutureMillis how far ahead of {@code clock} an event may be dated
 * @param clock wall-clock epoch ms
 */
public record EventTimeBounds(long minMillis, long maxFutureMillis, LongSupplier clock) {
  /** 1990-01-01T00:00:00Z: before any real interaction log, after any epoch-seconds date. */
  public static final long DEFAULT_MIN_MILLIS = 631_152_000_000L;

  /** One day: generous for clock skew between producers. */
  public static final long DEFAULT_MAX_FUTURE_MILLIS = 86_400_000L;

  public static EventTimeBounds defaults() {
    return new EventTimeBounds(
        DEFAULT_MIN_MILLIS, DEFAULT_MAX_FUTURE_MILLIS, System::currentTimeMillis);
  }

  public EventTimeBounds {
    if (minMillis < 0) {
      throw new IllegalArgumentException("minMillis: must be >= 0, got " + minMillis);
    }
    if (maxFutureMillis < 0) {
      throw new IllegalArgumentException("maxFutureMillis: must be >= 0, got " + maxFutureMillis);
    }
  }

  /** Why {@code millis} is not a plausible event time, or null when it is. */
  String problem(long millis) {
    long now = clock.getAsLong();
    long latest = now + maxFutureMillis;
    if (millis < minMillis) {
      if (millis <= Long.MAX_VALUE / 1000 && plausible(millis * 1000, latest)) {
        return "looks like seconds since the epoch, expected milliseconds: "
            + millis
            + " read as seconds is "
            + Instant.ofEpochSecond(millis)
            + ", as milliseconds "
            + Instant.ofEpochMilli(millis);
      }
      return "is "
          + Instant.ofEpochMilli(millis)
          + ", before the earliest accepted time "
          + Instant.ofEpochMilli(minMillis)
          + " (recsys.event.min.time)";
    }
    if (millis > latest) {
      if (plausible(millis / 1000, latest)) {
        return "looks like microseconds since the epoch, expected milliseconds: "
            + millis
            + " read as microseconds is "
            + Instant.ofEpochMilli(millis / 1000);
      }
      return "is "
          + millis
          + " ("
          + describe(millis)
          + "), more than "
          + maxFutureMillis
          + " ms ahead of the clock (recsys.event.max.future.ms)";
    }
    return null;
  }

  private boolean plausible(long millis, long latest) {
    return millis >= minMillis && millis <= latest;
  }

  private static String describe(long millis) {
    try {
      return Instant.ofEpochMilli(millis).toString();
    } catch (java.time.DateTimeException e) {
      return "beyond the calendar";
    }
  }
}
