package io.recsys.app.demo;

import io.recsys.app.prequential.PrequentialEvaluator;
import io.recsys.schemas.MetricsRecord.Quality;
import java.util.ArrayList;
import java.util.List;

/**
 * The sliding-window prequential curve of a demo run: every {@code windowEvents} accepted events
 * one point, the difference between the evaluator's running totals now and at the previous point,
 * so that learning over time is visible. Uses the totals rather than draining the evaluator's
 * window, which belongs to the metrics publisher.
 */
final class PrequentialCurve {
  /**
   * One window: accepted events at its end, and each strategy's figures within it (served: the
   * lists users were given).
   */
  record Point(
      long events, Quality model, Quality popularity, Quality cooccurrence, Quality served) {}

  private static final Quality NONE = new Quality(0, 0, 0, 0);

  private final PrequentialEvaluator evaluator;
  private final long windowEvents;
  private final List<Point> points = new ArrayList<>();
  private long nextBoundary;
  private PrequentialEvaluator.Window previous =
      new PrequentialEvaluator.Window(NONE, NONE, NONE, NONE, NONE);

  PrequentialCurve(PrequentialEvaluator evaluator, long windowEvents) {
    this.evaluator = evaluator;
    this.windowEvents = windowEvents;
    this.nextBoundary = windowEvents;
  }

  /** Closes a window if {@code acceptedEvents} passed its boundary. */
  void sample(long acceptedEvents) {
    if (acceptedEvents >= nextBoundary) {
      close(acceptedEvents);
      nextBoundary = (acceptedEvents / windowEvents + 1) * windowEvents;
    }
  }

  /** Closes the last, possibly partial, window. */
  void finish(long acceptedEvents) {
    if (points.isEmpty() || points.get(points.size() - 1).events() < acceptedEvents) {
      close(acceptedEvents);
    }
  }

  private void close(long acceptedEvents) {
    PrequentialEvaluator.Window totals = evaluator.totals();
    Quality model = difference(totals.model(), previous.model());
    Quality popularity = difference(totals.popularity(), previous.popularity());
    Quality cooccurrence = difference(totals.cooccurrence(), previous.cooccurrence());
    Quality served = difference(totals.served(), previous.served());
    previous = totals;
    if (model.events() + popularity.events() > 0) {
      points.add(new Point(acceptedEvents, model, popularity, cooccurrence, served));
    }
  }

  /** The figures of the events counted in {@code now} but not in {@code before}. */
  static Quality difference(Quality now, Quality before) {
    long events = now.events() - before.events();
    if (events <= 0) {
      return new Quality(0, 0, 0, now.coldEvents() - before.coldEvents());
    }
    double hits = now.hitRate10() * now.events() - before.hitRate10() * before.events();
    double ndcg = now.ndcg10() * now.events() - before.ndcg10() * before.events();
    return new Quality(
        events, hits / events, ndcg / events, now.coldEvents() - before.coldEvents());
  }

  List<Point> points() {
    return List.copyOf(points);
  }

  /** The curve as a Markdown table. */
  static String table(List<Point> points) {
    StringBuilder out = new StringBuilder();
    out.append("| events | served HR@10 | served NDCG@10 | model HR@10 | model NDCG@10 |")
        .append(" model scored | co-occurrence HR@10 | co-occurrence NDCG@10 |")
        .append(" popularity HR@10 | popularity NDCG@10 | popularity scored |\n");
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Point point : points) {
      out.append(
          String.format(
              "| %,d | %.4f | %.4f | %.4f | %.4f | %,d | %.4f | %.4f | %.4f | %.4f | %,d |%n",
              point.events(),
              point.served().hitRate10(),
              point.served().ndcg10(),
              point.model().hitRate10(),
              point.model().ndcg10(),
              point.model().events(),
              point.cooccurrence().hitRate10(),
              point.cooccurrence().ndcg10(),
              point.popularity().hitRate10(),
              point.popularity().ndcg10(),
              point.popularity().events()));
    }
    return out.toString();
  }
}
