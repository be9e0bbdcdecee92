package io.recsys.model.strategy;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The running test-then-train figures of each strategy for each {@link HistoryBuckets history
 * bucket}: a mean NDCG@10 that forgets old events with a half-life counted in events, so that the
 * winner follows the data as the model learns. Every strategy's list is scored on every event
 * whether or not it was served, so each one's figure keeps moving.
 *
 * <p>{@link #best} keeps the default strategy (the blend, where there is one) unless another one
 * leads it by more than a margin counted in standard errors of the difference: with a few hundred
 * events per group the figures are noisy, and a group switched on noise serves worse lists than the
 * default (measured on ML-100K offline, where the group of 16-31 items went to the model on
 * validation and lost to the blend on test). Thread-safe.
 *
 * @param <S> the strategies
 */
public final class StrategyEvidence<S extends Enum<S>> {
  private final Class<S> strategies;
  private final double keep;
  private final int minEvents;
  private final double switchMargin;
  // [bucket][strategy]; the last bucket row pools every bucket, for buckets still short of events.
  // Decayed sums of each figure, its square, the weights and the squared weights (the last two give
  // the effective number of events behind a decayed mean).
  private final double[][] gains;
  private final double[][] squares;
  private final double[][] weights;
  private final double[][] weightSquares;
  private final long[][] events;

  /**
   * @param halfLifeEvents after this many newer events of its bucket, an event counts half
   * @param minEvents events a strategy needs in a bucket before its figure there is trusted; below
   *     it the figure over all buckets stands in
   * @param switchMargin standard errors of the difference by which a strategy must lead the default
   *     before {@link #best} picks it; 0 picks whichever leads
   */
  public StrategyEvidence(
      Class<S> strategies, int halfLifeEvents, int minEvents, double switchMargin) {
    if (halfLifeEvents < 1) {
      throw new IllegalArgumentException("halfLifeEvents: must be >= 1, got " + halfLifeEvents);
    }
    if (minEvents < 1) {
      throw new IllegalArgumentException("minEvents: must be >= 1, got " + minEvents);
    }
    if (!(switchMargin >= 0) || Double.isInfinite(switchMargin)) {
      throw new IllegalArgumentException(
          "switchMargin: must be a finite number >= 0, got " + switchMargin);
    }
    this.strategies = strategies;
    this.keep = Math.pow(0.5, 1.0 / halfLifeEvents);
    this.minEvents = minEvents;
    this.switchMargin = switchMargin;
    int n = strategies.getEnumConstants().length;
    this.gains = new double[HistoryBuckets.COUNT + 1][n];
    this.squares = new double[HistoryBuckets.COUNT + 1][n];
    this.weights = new double[HistoryBuckets.COUNT + 1][n];
    this.weightSquares = new double[HistoryBuckets.COUNT + 1][n];
    this.events = new long[HistoryBuckets.COUNT + 1][n];
  }

  /**
   * Records that {@code strategy}'s list, held by a user of {@code bucket}, scored {@code ndcg}.
   */
  public synchronized void record(int bucket, S strategy, double ndcg) {
    add(bucket, strategy.ordinal(), ndcg);
    add(HistoryBuckets.COUNT, strategy.ordinal(), ndcg);
  }

  private void add(int row, int s, double ndcg) {
    gains[row][s] = gains[row][s] * keep + ndcg;
    squares[row][s] = squares[row][s] * keep + ndcg * ndcg;
    weights[row][s] = weights[row][s] * keep + 1;
    weightSquares[row][s] = weightSquares[row][s] * keep * keep + 1;
    events[row][s]++;
  }

  /**
   * The strategy's mean NDCG@10 in {@code bucket}, or over all buckets while the bucket has fewer
   * than the minimum events; NaN while neither has.
   */
  public synchronized double ndcg(int bucket, S strategy) {
    int row = row(bucket, strategy.ordinal());
    return row < 0 ? Double.NaN : gains[row][strategy.ordinal()] / weights[row][strategy.ordinal()];
  }

  /** The squared standard error of {@link #ndcg}'s figure; NaN where that is NaN. */
  private synchronized double variance(int bucket, S strategy) {
    int s = strategy.ordinal();
    int row = row(bucket, s);
    if (row < 0) {
      return Double.NaN;
    }
    double mean = gains[row][s] / weights[row][s];
    double spread = Math.max(0, squares[row][s] / weights[row][s] - mean * mean);
    double effectiveEvents = weights[row][s] * weights[row][s] / weightSquares[row][s];
    return spread / effectiveEvents;
  }

  /** The row whose figure stands for {@code bucket}, or -1 while no row has enough events. */
  private int row(int bucket, int s) {
    int row = events[bucket][s] >= minEvents ? bucket : HistoryBuckets.COUNT;
    return events[row][s] >= minEvents ? row : -1;
  }

  /**
   * The strategy to serve in {@code bucket} among {@code available}: {@code fallback} (the default)
   * unless another one's figure leads the default's by more than the switch margin, the
   * best-figured one while the default has no figure or is not available, {@code fallback} while
   * none has a figure (the first of equal ones in declaration order).
   */
  public S best(int bucket, Set<S> available, S fallback) {
    S best = null;
    double bestNdcg = Double.NEGATIVE_INFINITY;
    for (S s : strategies.getEnumConstants()) {
      if (!available.contains(s)) {
        continue;
      }
      double ndcg = ndcg(bucket, s);
      if (!Double.isNaN(ndcg) && ndcg > bestNdcg) {
        best = s;
        bestNdcg = ndcg;
      }
    }
    if (best == null) {
      return fallback;
    }
    double defaultNdcg = available.contains(fallback) ? ndcg(bucket, fallback) : Double.NaN;
    if (best == fallback || Double.isNaN(defaultNdcg)) {
      return best;
    }
    // Unpaired standard errors: the lists of one event are correlated, so this overstates the
    // noise of the difference and errs towards keeping the default.
    double error = Math.sqrt(variance(bucket, best) + variance(bucket, fallback));
    return bestNdcg - defaultNdcg > switchMargin * error ? best : fallback;
  }

  /**
   * Blend weights for {@code fused} in {@code bucket}: each strategy's figure there, so that the
   * better one leads the blend; all equal while none has a figure yet.
   */
  public double[] weights(int bucket, List<S> fused) {
    double[] w = new double[fused.size()];
    boolean any = false;
    for (int i = 0; i < w.length; i++) {
      double ndcg = ndcg(bucket, fused.get(i));
      w[i] = Double.isNaN(ndcg) ? 0 : ndcg;
      any |= w[i] > 0;
    }
    if (!any) {
      Arrays.fill(w, 1.0);
    }
    return w;
  }

  /** Every strategy's figure per bucket (NaN where there is none yet), for reports. */
  public Map<S, double[]> table() {
    Map<S, double[]> table = new EnumMap<>(strategies);
    for (S s : strategies.getEnumConstants()) {
      double[] row = new double[HistoryBuckets.COUNT];
      for (int b = 0; b < row.length; b++) {
        row[b] = ndcg(b, s);
      }
      table.put(s, row);
    }
    return table;
  }
}
