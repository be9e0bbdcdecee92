package io.recsys.app.prequential;

import io.recsys.model.evaluation.RankingMetrics;
import io.recsys.schemas.MetricsRecord;
import io.recsys.schemas.Strategy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-then-train quality (the prequential protocol of the datasets README): each event's item is
 * scored against the lists its user held before the event, for every strategy on the same events
 * and for the list the user was actually served. Users with no earlier list are counted as cold and
 * kept out of the main figures. Keeps a window (reset by {@link #drainWindow()}) and totals.
 * Thread-safe.
 */
public final class PrequentialEvaluator {
  /** The cut-off of HR@10 and NDCG@10. */
  public static final int K = 10;

  private final Map<Strategy, Accumulator> windows = new EnumMap<>(Strategy.class);
  private final Map<Strategy, Accumulator> totals = new EnumMap<>(Strategy.class);
  private final Accumulator servedWindow = new Accumulator();
  private final Accumulator servedTotal = new Accumulator();
  private final Accumulator checkedIndex = new Accumulator();
  private final Accumulator checkedExhaustive = new Accumulator();
  private final AtomicLong indexOnlyHits = new AtomicLong();
  private final AtomicLong exhaustiveOnlyHits = new AtomicLong();

  public PrequentialEvaluator() {
    for (Strategy s : Strategy.values()) {
      windows.put(s, new Accumulator());
      totals.put(s, new Accumulator());
    }
  }

  /**
   * Scores {@code item} against {@code held}, the user's lists before the event (null: none).
   *
   * @return NDCG@10 of each strategy that had a list, for the choice of strategy
   */
  public Map<Strategy, Double> record(String item, HeldLists held) {
    Map<Strategy, Double> gains = new EnumMap<>(Strategy.class);
    for (Strategy s : Strategy.values()) {
      List<String> list = held == null ? List.of() : held.of(s);
      double gain = add(windows.get(s), totals.get(s), item, list);
      if (!list.isEmpty()) {
        gains.put(s, gain);
      }
    }
    add(servedWindow, servedTotal, item, held == null ? List.of() : held.servedList());
    if (held != null && !held.exhaustive().isEmpty() && !held.model().isEmpty()) {
      checkedIndex.add(item, held.model());
      checkedExhaustive.add(item, held.exhaustive());
      boolean viaIndex = held.model().indexOf(item) >= 0;
      boolean exhaustive = held.exhaustive().indexOf(item) >= 0;
      if (viaIndex != exhaustive) {
        (viaIndex ? indexOnlyHits : exhaustiveOnlyHits).incrementAndGet();
      }
    }
    return gains;
  }

  private static double add(Accumulator window, Accumulator total, String item, List<String> list) {
    if (list.isEmpty()) {
      window.addCold();
      total.addCold();
      return 0;
    }
    double ndcg = window.add(item, list);
    total.add(item, list);
    return ndcg;
  }

  /**
   * The model's lists made through the index against the lists of every item scored from the same
   * states, on the same events: the checked sample ({@link HeldLists#exhaustive()}), since the
   * start. Both are zero-event figures where no list was checked (no index, or no check yet).
   */
  public IndexCheck indexCheck() {
    return new IndexCheck(
        checkedIndex.snapshot(),
        checkedExhaustive.snapshot(),
        indexOnlyHits.get(),
        exhaustiveOnlyHits.get());
  }

  /**
   * Paired figures of the index check.
   *
   * @param index the served model's lists, made through the index
   * @param exhaustive every item scored from the same states, on the same events
   * @param indexOnlyHits events only the list made through the index hit
   * @param exhaustiveOnlyHits events only the list of every item scored hit
   */
  public record IndexCheck(
      MetricsRecord.Quality index,
      MetricsRecord.Quality exhaustive,
      long indexOnlyHits,
      long exhaustiveOnlyHits) {
    /** The index's hit rate relative to every item scored, minus one; NaN before any hit. */
    public double relativeHitRate() {
      return exhaustive.hitRate10() == 0
          ? Double.NaN
          : index.hitRate10() / exhaustive.hitRate10() - 1;
    }

    /**
     * The standard error of {@link #relativeHitRate()} from this sample (paired: only the events
     * where the two lists disagree carry information); NaN before any hit. It covers the sampling
     * of events, not the differences between runs, which were larger (docs/BENCHMARKS.md).
     */
    public double relativeHitRateError() {
      long n = exhaustive.events();
      if (n == 0 || exhaustive.hitRate10() == 0) {
        return Double.NaN;
      }
      double mean = (double) (indexOnlyHits - exhaustiveOnlyHits) / n;
      double variance = (double) (indexOnlyHits + exhaustiveOnlyHits) / n - mean * mean;
      return Math.sqrt(Math.max(0, variance) / n) / exhaustive.hitRate10();
    }
  }

  /** Every strategy's figures of the window so far, and starts a new window. */
  public Window drainWindow() {
    return new Window(
        windows.get(Strategy.MODEL).drain(),
        windows.get(Strategy.POPULARITY).drain(),
        windows.get(Strategy.COOCCURRENCE).drain(),
        windows.get(Strategy.BLEND).drain(),
        servedWindow.drain());
  }

  /** Every strategy's figures since the start. */
  public Window totals() {
    return new Window(
        totals.get(Strategy.MODEL).snapshot(),
        totals.get(Strategy.POPULARITY).snapshot(),
        totals.get(Strategy.COOCCURRENCE).snapshot(),
        totals.get(Strategy.BLEND).snapshot(),
        servedTotal.snapshot());
  }

  /**
   * Figures of one window or of the whole run.
   *
   * @param served the lists users were given, whichever strategy made them
   */
  public record Window(
      MetricsRecord.Quality model,
      MetricsRecord.Quality popularity,
      MetricsRecord.Quality cooccurrence,
      MetricsRecord.Quality blend,
      MetricsRecord.Quality served) {}

  private static final class Accumulator {
    private long events;
    private double hits;
    private double ndcg;
    private long cold;

    /** Scores {@code item} against {@code list}; returns its NDCG@10. */
    synchronized double add(String item, List<String> list) {
      int rank = list.indexOf(item);
      int effective = rank < 0 ? Integer.MAX_VALUE : rank;
      double gain = RankingMetrics.ndcg(effective, K);
      events++;
      hits += RankingMetrics.hitRate(effective, K);
      ndcg += gain;
      return gain;
    }

    synchronized void addCold() {
      cold++;
    }

    synchronized MetricsRecord.Quality snapshot() {
      return new MetricsRecord.Quality(
          events, events == 0 ? 0 : hits / events, events == 0 ? 0 : ndcg / events, cold);
    }

    synchronized MetricsRecord.Quality drain() {
      MetricsRecord.Quality quality = snapshot();
      events = 0;
      hits = 0;
      ndcg = 0;
      cold = 0;
      return quality;
    }
  }
}
