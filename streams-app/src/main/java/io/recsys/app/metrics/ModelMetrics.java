package io.recsys.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.recsys.app.modelsync.CurrentModel;
import java.util.function.LongSupplier;

/**
 * Gauges of the model this instance serves, for the metrics endpoint: whether one is loaded and its
 * age. The version string itself is in the {@code metrics} topic records; as a label it would
 * create a new time series per version.
 */
public final class ModelMetrics {
  public static final String LOADED = "recsys.model.loaded";
  public static final String AGE = "recsys.model.age";
  public static final String REFUSED = "recsys.model.refused";
  public static final String INDEX_ITEMS = "recsys.serving.index.items";
  public static final String INDEX_UNINDEXED = "recsys.serving.index.unindexed";
  public static final String INDEX_BUILDS = "recsys.serving.index.builds";
  public static final String INDEX_RECALL = "recsys.serving.index.recall";
  public static final String INDEX_VISITS = "recsys.serving.index.visits";

  private ModelMetrics() {}

  /** Registers the gauges on {@code registry}; they read {@code model} at each scrape. */
  public static void bind(MeterRegistry registry, CurrentModel model, LongSupplier clock) {
    Gauge.builder(LOADED, model, m -> m.get().isPresent() ? 1 : 0)
        .description("1 while a model version is loaded for serving, else 0")
        .register(registry);
    Gauge.builder(
            AGE,
            model,
            m ->
                m.get()
                    .map(loaded -> (clock.getAsLong() - loaded.version().createdAt()) / 1000.0)
                    .orElse(Double.NaN))
        .description("Seconds since the served model version was produced; NaN when none")
        .baseUnit("seconds")
        .register(registry);
    FunctionCounter.builder(REFUSED, model, CurrentModel::refusedCount)
        .description(
            "Published model versions this instance refused because they did not load"
                + " (corrupt or incompatible); serving kept the previous version")
        .register(registry);
    Gauge.builder(INDEX_ITEMS, model, m -> m.retrieval().map(r -> r.index().items()).orElse(0))
        .description(
            "Items in the candidate index the served model retrieves through; 0 while it scores"
                + " every item (a catalogue below recsys.serving.index.min.items, or the first"
                + " graph still building)")
        .register(registry);
    Gauge.builder(INDEX_UNINDEXED, model, m -> m.retrieval().map(r -> r.unindexedCount()).orElse(0))
        .description(
            "Items new or moved since the index graph was built, scored exactly for every user"
                + " until the next graph")
        .register(registry);
    Gauge.builder(INDEX_RECALL, model, CurrentModel::indexRecall)
        .description(
            "Share of the exact top-k (every item scored from the same state) that the lists made"
                + " through the index held, on the checked events (recsys.serving.index.check.share)"
                + " since the start; NaN before the first check")
        .register(registry);
    Gauge.builder(
            INDEX_VISITS,
            model,
            m -> m.retrieval().map(r -> r.index().visitsPerSearch()).orElse(Double.NaN))
        .description(
            "Items the served index graph's walk scored per search since it was built, the"
                + " walk's cost; NaN while every item is scored")
        .register(registry);
    FunctionCounter.builder(INDEX_BUILDS, model, CurrentModel::indexBuilds)
        .description("Index graphs built in the background since this instance started")
        .register(registry);
  }
}
