package io.recsys.app.demo;

import io.recsys.app.metrics.ProcessUsage;
import io.recsys.app.metrics.ResourceSample;
import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.prequential.PrequentialEvaluator;
import io.recsys.schemas.MetricsRecord.Quality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Figures of a finished demo run.
 *
 * @param data the data source
 * @param eventsSent input records produced (valid and invalid)
 * @param recommendations recommendation records seen on the output topic
 * @param deadLetters records seen on the dead-letter topic
 * @param seconds from the first input record to the last output record
 * @param feed how the input was paced: {@code auto} (the rate the machine sustains), {@code max}
 *     (as fast as the pipeline takes it) or a fixed rate in events/s
 * @param adaptiveRate under {@code auto}, the rate it had settled at by the end; NaN otherwise
 * @param usage CPU time and garbage collections of the whole process (broker, pipeline, trainer,
 *     compilers) over those seconds
 * @param brokerStartMillis time to start the embedded broker
 * @param firstRecommendationMillis from the start of the command to the first recommendation
 * @param prequentialModel test-then-train quality of the model's lists over the run
 * @param prequentialPopularity the same for popularity, on the same events
 * @param prequentialCooccurrence the same for co-occurrence
 * @param prequentialBlend the same for the blend of the strategies' lists
 * @param prequentialServed the same for the lists users were given, whichever strategy made each
 * @param servedBy lists published per strategy (wire name)
 * @param examplesEmitted training examples the pipeline wrote to training-examples
 * @param examplesTrained training examples the trainer folded in by the end of the run (fewer than
 *     emitted when the trainer was behind: the run ends when the output is complete)
 * @param examplesSkipped training examples the trainer skipped as older than its freshness bound
 * @param modelVersion the model version serving at the end
 * @param recent latencies over the last ~30 s and freshness over the last ~60 s of the run (the
 *     windows the dashboard and the metrics topic show)
 * @param run latencies and freshness over every event of the run, warm-up included
 * @param publications model versions the trainer published, snapshots and deltas, with sizes
 * @param curve the prequential curve, one point per window
 * @param resources soak samples (heap after GC, RocksDB, open files, latency), when asked for
 * @param batch the interval-trained copy's figures on the same events, or null when not asked for
 */
public record DemoResult(
    String data,
    long eventsSent,
    long recommendations,
    long deadLetters,
    double seconds,
    String feed,
    double adaptiveRate,
    ProcessUsage usage,
    long brokerStartMillis,
    long firstRecommendationMillis,
    Quality prequentialModel,
    Quality prequentialPopularity,
    Quality prequentialCooccurrence,
    Quality prequentialBlend,
    Quality prequentialServed,
    Map<String, Long> servedBy,
    long examplesEmitted,
    long examplesTrained,
    long examplesSkipped,
    String modelVersion,
    Delays recent,
    Delays run,
    TrainerMetrics.Publications publications,
    List<PrequentialCurve.Point> curve,
    List<ResourceSample> resources,
    Served served,
    IntervalTrainedBaseline.Result batch) {

  /**
   * What served at the end of the run.
   *
   * @param modelItems items the served model has rows for
   * @param indexItems items in its candidate index; 0 when it scores every item
   * @param indexBuilds index graphs built during the run
   * @param indexRecall the index path's recall@k on the checked lists; NaN if none was checked
   * @param indexUnindexed items the served graph does not represent (new or moved since it was
   *     built), scored exactly for every user
   * @param indexVisits items the served graph's walk scored per search (its cost); NaN without one
   * @param indexCheck prequential figures of the checked lists: through the index and with every
   *     item scored, on the same events
   * @param heapAfterGcBytes the process's heap in use after the last collection, at the end
   */
  public record Served(
      long modelItems,
      long indexItems,
      long indexBuilds,
      double indexRecall,
      long indexUnindexed,
      double indexVisits,
      PrequentialEvaluator.IndexCheck indexCheck,
      long heapAfterGcBytes) {}

  /**
   * Percentiles in ms (NaN when nothing was recorded).
   *
   * @param latencyP50Ms event record timestamp to its recommendation being computed, median
   * @param latencyP99Ms the same, 99th percentile
   * @param deliveredP50Ms event record timestamp to its recommendation reaching a read_committed
   *     consumer of the output topic, median: the latency a downstream consumer sees, which under
   *     exactly-once includes the transaction commit
   * @param deliveredP99Ms the same, 99th percentile
   * @param freshnessP50Ms event record timestamp to the publication of the first model version
   *     trained on it, median
   * @param freshnessP99Ms the same, 99th percentile
   */
  public record Delays(
      double latencyP50Ms,
      double latencyP99Ms,
      double deliveredP50Ms,
      double deliveredP99Ms,
      double freshnessP50Ms,
      double freshnessP99Ms) {

    /** The medians and 99th percentiles of three distributions, given as percentile lookups. */
    public static Delays of(
        DoubleUnaryOperator latency, DoubleUnaryOperator delivered, DoubleUnaryOperator freshness) {
      return new Delays(
          latency.applyAsDouble(0.5),
          latency.applyAsDouble(0.99),
          delivered.applyAsDouble(0.5),
          delivered.applyAsDouble(0.99),
          freshness.applyAsDouble(0.5),
          freshness.applyAsDouble(0.99));
    }
  }

  public DemoResult {
    curve = List.copyOf(curve);
    servedBy = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(servedBy));
    resources = List.copyOf(resources);
  }

  /** This result with the batch arm's figures. */
  public DemoResult withBatch(IntervalTrainedBaseline.Result figures) {
    return new DemoResult(
        data,
        eventsSent,
        recommendations,
        deadLetters,
        seconds,
        feed,
        adaptiveRate,
        usage,
        brokerStartMillis,
        firstRecommendationMillis,
        prequentialModel,
        prequentialPopularity,
        prequentialCooccurrence,
        prequentialBlend,
        prequentialServed,
        servedBy,
        examplesEmitted,
        examplesTrained,
        examplesSkipped,
        modelVersion,
        recent,
        run,
        publications,
        curve,
        resources,
        served,
        figures);
  }

  /**
   * HR@10 over every scored event, an event without a list counting as a miss: the one figure whose
   * denominator is the same for every strategy.
   */
  public static double hitRateOverAll(Quality quality) {
    long all = quality.events() + quality.coldEvents();
    return all == 0 ? 0 : quality.hitRate10() * quality.events() / all;
  }

  /** NDCG@10 over every scored event, as {@link #hitRateOverAll}. */
  public static double ndcgOverAll(Quality quality) {
    long all = quality.events() + quality.coldEvents();
    return all == 0 ? 0 : quality.ndcg10() * quality.events() / all;
  }

  /** Input records per second through the whole pipeline. */
  public double eventsPerSecond() {
    return seconds > 0 ? eventsSent / seconds : 0;
  }

  /** Input records that produced neither a recommendation nor a dead letter. */
  public long missing() {
    return eventsSent - recommendations - deadLetters;
  }

  private static double mean(double total, long count) {
    return count == 0 ? 0 : total / count;
  }

  /** One line on what the run cost the machine: CPU per event and garbage collections. */
  public String usageLine() {
    return ("Process: %.2f of %d cores busy, %,.0f us CPU per event (broker, pipeline, trainer and"
            + " JIT together); %,d garbage collections, %,d ms")
        .formatted(
            usage.coresBusy(seconds),
            usage.cores(),
            usage.cpuMicrosPer(eventsSent),
            usage.gcCount(),
            usage.gcMillis());
  }

  /** One line on how the model reached serving: snapshots and deltas with their mean size. */
  /** The served model's catalogue and how serving scores it. */
  public String servedLine() {
    return ("Served model: %,d items, %s; heap after GC at the end %,.0f MB")
        .formatted(
            served.modelItems(),
            served.indexItems() > 0
                ? ("candidates from an index of %,d items (%d graph builds, %,.0f items scored"
                        + " per walk, %,d new or moved items scored for everyone), rescored"
                        + " exactly; %s")
                    .formatted(
                        served.indexItems(),
                        served.indexBuilds(),
                        served.indexVisits(),
                        served.indexUnindexed(),
                        indexCheckPart())
                : "every item scored",
            served.heapAfterGcBytes() / 1e6);
  }

  /** How the served lists compared with every item scored, where any was checked. */
  private String indexCheckPart() {
    PrequentialEvaluator.IndexCheck check = served.indexCheck();
    if (Double.isNaN(served.indexRecall())) {
      return "no list checked against every item scored (recsys.serving.index.check.share)";
    }
    return ("checked against every item scored: recall@10 %.3f; HR@10 on the %,d checked lists'"
            + " next events %.4f against %.4f (%+.1f%% +- %.1f)")
        .formatted(
            served.indexRecall(),
            check.index().events(),
            check.index().hitRate10(),
            check.exhaustive().hitRate10(),
            100 * check.relativeHitRate(),
            100 * check.relativeHitRateError());
  }

  public String modelSyncLine() {
    return ("Model sync: %,d of %,d training examples trained by the end (%,d skipped as older than"
            + " the freshness bound); %,d snapshots (mean %,.0f KB), %,d deltas (mean %,.0f KB);"
            + " freshness p50 %.0f ms, p99 %.0f ms over the run (last minute: %.0f / %.0f ms)")
        .formatted(
            examplesTrained,
            examplesEmitted,
            examplesSkipped,
            publications.snapshots(),
            mean(publications.snapshotBytes(), publications.snapshots()) / 1024,
            publications.deltas(),
            mean(publications.deltaBytes(), publications.deltas()) / 1024,
            run.freshnessP50Ms(),
            run.freshnessP99Ms(),
            recent.freshnessP50Ms(),
            recent.freshnessP99Ms());
  }

  private static Double round(double value) {
    return Double.isNaN(value) ? null : Math.round(value * 10_000) / 10_000.0;
  }

  public Map<String, Object> figures() {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("command", "demo");
    figures.put("data", data);
    figures.put("events_sent", eventsSent);
    figures.put("recommendations", recommendations);
    figures.put("dead_letters", deadLetters);
    figures.put("missing", missing());
    figures.put("seconds", Math.round(seconds * 1000) / 1000.0);
    figures.put("events_per_s", Math.round(eventsPerSecond()));
    figures.put("feed", feed);
    if (!Double.isNaN(adaptiveRate)) {
      figures.put("feed_rate_final", Math.round(adaptiveRate));
    }
    figures.put("cores", usage.cores());
    figures.put("cpu_s", round(usage.cpuSeconds()));
    figures.put("cpu_us_per_event", round(usage.cpuMicrosPer(eventsSent)));
    figures.put("gc_count", usage.gcCount());
    figures.put("gc_ms", usage.gcMillis());
    figures.put("broker_start_ms", brokerStartMillis);
    figures.put("first_recommendation_ms", firstRecommendationMillis);
    figures.put("model_version", modelVersion);
    figures.put("examples_emitted", examplesEmitted);
    figures.put("examples_trained", examplesTrained);
    figures.put("examples_skipped", examplesSkipped);
    figures.put("prequential_model_hr10", round(prequentialModel.hitRate10()));
    figures.put("prequential_model_ndcg10", round(prequentialModel.ndcg10()));
    figures.put("prequential_model_events", prequentialModel.events());
    figures.put("prequential_popularity_hr10", round(prequentialPopularity.hitRate10()));
    figures.put("prequential_popularity_ndcg10", round(prequentialPopularity.ndcg10()));
    figures.put("prequential_popularity_events", prequentialPopularity.events());
    figures.put("prequential_cold_events", prequentialPopularity.coldEvents());
    figures.put("prequential_cooccurrence_hr10", round(prequentialCooccurrence.hitRate10()));
    figures.put("prequential_cooccurrence_ndcg10", round(prequentialCooccurrence.ndcg10()));
    figures.put("prequential_cooccurrence_events", prequentialCooccurrence.events());
    figures.put("prequential_blend_hr10", round(prequentialBlend.hitRate10()));
    figures.put("prequential_blend_ndcg10", round(prequentialBlend.ndcg10()));
    figures.put("prequential_served_hr10", round(prequentialServed.hitRate10()));
    figures.put("prequential_served_ndcg10", round(prequentialServed.ndcg10()));
    figures.put("prequential_served_events", prequentialServed.events());
    figures.put("served_by", servedBy);
    figures.put("prequential_model_hr10_all", round(hitRateOverAll(prequentialModel)));
    figures.put("prequential_popularity_hr10_all", round(hitRateOverAll(prequentialPopularity)));
    if (batch != null) {
      figures.put("prequential_batch_hr10", round(batch.quality().hitRate10()));
      figures.put("prequential_batch_ndcg10", round(batch.quality().ndcg10()));
      figures.put("prequential_batch_events", batch.quality().events());
      figures.put("prequential_batch_cold_events", batch.quality().coldEvents());
      figures.put("prequential_batch_hr10_all", round(hitRateOverAll(batch.quality())));
      figures.put("batch_trainings", batch.trainings());
      figures.put("batch_seconds", round(batch.seconds()));
    }
    figures.put("latency_p50_ms", round(recent.latencyP50Ms()));
    figures.put("latency_p99_ms", round(recent.latencyP99Ms()));
    figures.put("delivered_p50_ms", round(recent.deliveredP50Ms()));
    figures.put("delivered_p99_ms", round(recent.deliveredP99Ms()));
    figures.put("freshness_p50_ms", round(recent.freshnessP50Ms()));
    figures.put("freshness_p99_ms", round(recent.freshnessP99Ms()));
    figures.put("latency_p50_ms_all", round(run.latencyP50Ms()));
    figures.put("latency_p99_ms_all", round(run.latencyP99Ms()));
    figures.put("delivered_p50_ms_all", round(run.deliveredP50Ms()));
    figures.put("delivered_p99_ms_all", round(run.deliveredP99Ms()));
    figures.put("freshness_p50_ms_all", round(run.freshnessP50Ms()));
    figures.put("freshness_p99_ms_all", round(run.freshnessP99Ms()));
    figures.put("model_items", served.modelItems());
    figures.put("index_items", served.indexItems());
    figures.put("index_builds", served.indexBuilds());
    figures.put("index_recall_sampled", round(served.indexRecall()));
    figures.put("index_unindexed", served.indexUnindexed());
    figures.put("index_visits_per_search", round(served.indexVisits()));
    figures.put("index_check_events", served.indexCheck().index().events());
    figures.put("index_check_hr10", round(served.indexCheck().index().hitRate10()));
    figures.put("index_check_exhaustive_hr10", round(served.indexCheck().exhaustive().hitRate10()));
    figures.put("index_check_relative_hr10", round(served.indexCheck().relativeHitRate()));
    figures.put(
        "index_check_relative_hr10_error", round(served.indexCheck().relativeHitRateError()));
    figures.put("index_check_ndcg10", round(served.indexCheck().index().ndcg10()));
    figures.put("index_check_exhaustive_ndcg10", round(served.indexCheck().exhaustive().ndcg10()));
    figures.put("heap_after_gc_mb_final", round(served.heapAfterGcBytes() / 1e6));
    figures.put("model_snapshots", publications.snapshots());
    figures.put(
        "model_snapshot_bytes_mean",
        Math.round(mean(publications.snapshotBytes(), publications.snapshots())));
    figures.put("model_deltas", publications.deltas());
    figures.put(
        "model_delta_bytes_mean",
        Math.round(mean(publications.deltaBytes(), publications.deltas())));
    if (!resources.isEmpty()) {
      List<Map<String, Object>> samples = new ArrayList<>();
      for (ResourceSample sample : resources) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("s", Math.round(sample.seconds()));
        entry.put("heap_after_gc_mb", round(sample.heapAfterGcBytes() / 1e6));
        entry.put("rocksdb_mb", round(sample.rocksDbBytes() / 1e6));
        entry.put("state_files_mb", round(sample.stateFileBytes() / 1e6));
        entry.put("open_files", sample.openFiles());
        entry.put("latency_p99_ms", round(sample.latencyP99Ms()));
        samples.add(entry);
      }
      figures.put("resources", samples);
      if (resources.size() >= 3) {
        // The first sample is warm-up; from the second on, memory should be flat.
        ResourceSample from = resources.get(1);
        ResourceSample to = resources.get(resources.size() - 1);
        figures.put(
            "heap_after_gc_change_pct",
            round(
                100.0
                    * (to.heapAfterGcBytes() - from.heapAfterGcBytes())
                    / from.heapAfterGcBytes()));
        figures.put(
            "rocksdb_change_pct",
            round(
                100.0
                    * (to.rocksDbBytes() - from.rocksDbBytes())
                    / Math.max(1, from.rocksDbBytes())));
      }
    }
    return figures;
  }
}
