package io.recsys.app.prequential;

import io.recsys.model.evaluation.RankingMetrics;
import io.recsys.schemas.MetricsRecord;
import java.util.List;

/**
 * Test-then-train quality (the prequential protocol of the datasets README): each event's item is
 * scored against the list its user held before the event, for the model and for popularity on the
 * same events. Users with no earlier list are counted as cold and kept out of the main figures.
 * Keeps a window (reset by {@link #drainWindow()}) and totals. Thread-safe.
 */
public final class PrequentialEvaluator {
  /** The cut-off of HR@10 and NDCG@10. */
  public static final int K = 10;

  private final Accumulator modelWindow = new Accumulator();
  private final Accumulator popularityWindow = new Accumulator();
  private final Accumulator modelTotal = new Accumulator();
  private final Accumulator popularityTotal = new Accumulator();

  /** Scores {@code item} against {@code held}, the user's lists before the event (null: none). */
  public void record(String item, HeldLists held) {
    List<String> model = held == null ? List.of() : held.model();
    List<String> popularity = held == null ? List.of() : held.popularity();
    add(modelWindow, modelTotal, item, model);
    add(popularityWindow, popularityTotal, item, popularity);
  }

  private static void add(Accumulator window, Accumulator total, String item, List<String> list) {
    if (list.isEmpty()) {
      window.addCold();
      total.addCold();
      return;
    }
    int rank = list.indexOf(item);
    int effective = rank < 0 ? Integer.MAX_VALUE : rank;
    double hit = RankingMetrics.hitRate(effective, K);
    double ndcg = RankingMetrics.ndcg(effective, K);
    window.add(hit, ndcg);
    total.add(hit, ndcg);
  }

  /** Model and popularity figures of the window so far, and starts a new window. */
  public Window drainWindow() {
    return new Window(modelWindow.drain(), popularityWindow.drain());
  }

  /** Model and popularity figures since the start. */
  public Window totals() {
    return new Window(modelTotal.snapshot(), popularityTotal.snapshot());
  }

  /** Figures of one window or of the whole run. */
  public record Window(MetricsRecord.Quality model, MetricsRecord.Quality popularity) {}

  private static final class Accumulator {
    private long events;
    private double hits;
    private double ndcg;
    private long cold;

    synchronized void add(double hit, double gain) {
      events++;
      hits += hit;
      ndcg += gain;
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
