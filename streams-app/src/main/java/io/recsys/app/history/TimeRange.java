package io.recsys.app.history;

import io.recsys.app.config.Instants;
import java.time.Instant;

/**
 * The record-timestamp range a retrain reads: {@code from} inclusive, {@code to} exclusive, either
 * open (null). An open {@code from} is the topic's beginning; an open {@code to} is the end offsets
 * captured when the read starts, so records produced during a retrain never leak into it.
 *
 * @param fromMs first timestamp included (epoch ms), or null
 * @param toMs first timestamp excluded (epoch ms), or null
 */
public record TimeRange(Long fromMs, Long toMs) {
  /** Everything up to the end offsets at the start of the read. */
  public static final TimeRange ALL = new TimeRange(null, null);

  public TimeRange {
    if (fromMs != null && toMs != null && toMs <= fromMs) {
      throw new IllegalArgumentException(
          "--to ("
              + Instant.ofEpochMilli(toMs)
              + ") must be after --from ("
              + Instant.ofEpochMilli(fromMs)
              + "): the range is empty");
    }
    if (fromMs != null && fromMs < 0) {
      throw new IllegalArgumentException("--from must not be before 1970, got " + fromMs);
    }
    if (toMs != null && toMs <= 0) {
      throw new IllegalArgumentException("--to must be after 1970, got " + toMs);
    }
  }

  /**
   * Parses the {@code --from} and {@code --to} options; either may be null.
   *
   * @throws IllegalArgumentException naming the option and the text it received
   */
  public static TimeRange parse(String from, String to) {
    return new TimeRange(
        from == null ? null : Instants.parseEpochMillis("--from", from),
        to == null ? null : Instants.parseEpochMillis("--to", to));
  }

  /** Whether a record with this timestamp is in the range. */
  public boolean contains(long timestampMs) {
    return (fromMs == null || timestampMs >= fromMs) && (toMs == null || timestampMs < toMs);
  }

  @Override
  public String toString() {
    return "["
        + (fromMs == null ? "beginning" : Instant.ofEpochMilli(fromMs).toString())
        + ", "
        + (toMs == null ? "end at start" : Instant.ofEpochMilli(toMs).toString())
        + ")";
  }
}
