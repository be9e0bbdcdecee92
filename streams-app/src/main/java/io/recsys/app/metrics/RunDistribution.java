package io.recsys.app.metrics;

import org.HdrHistogram.ConcurrentHistogram;

/**
 * Every value recorded since this process started, for percentiles over a whole run.
 *
 * <p>Why beside the Micrometer summaries: those publish percentiles of a sliding window (what a
 * dashboard wants), so the figure a run ends with describes only its last seconds, which on a
 * shared machine swung p99 latency by 3x between two runs of one command. A benchmark reports the
 * whole run as well. HdrHistogram (already under Micrometer) keeps 3 significant digits up to an
 * hour in about 200 KB, and records without locks from any thread.
 */
public final class RunDistribution {
  private static final long HIGHEST_MILLIS = 3_600_000L;

  private final ConcurrentHistogram histogram = new ConcurrentHistogram(HIGHEST_MILLIS, 3);

  /** Records one value in ms; negatives count as 0 and values past an hour as an hour. */
  public void record(long millis) {
    histogram.recordValue(Math.min(Math.max(0, millis), HIGHEST_MILLIS));
  }

  /** The value at {@code percentile} (0.5 for the median, 0.99 ...); NaN when empty. */
  public double percentile(double percentile) {
    if (histogram.getTotalCount() == 0) {
      return Double.NaN;
    }
    return histogram.getValueAtPercentile(percentile * 100.0);
  }

  public long count() {
    return histogram.getTotalCount();
  }
}
