package io.recsys.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recsys.app.prequential.PrequentialEvaluator;
import io.recsys.schemas.MetricsRecord;
import io.recsys.schemas.Strategy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The pipeline's own counters and latency distribution, recorded by the processors of every stream
 * thread of one instance and read by the metrics endpoint and the {@code metrics} topic. Passed to
 * the topology through its constructor rather than held in a static registry. Thread-safe.
 */
public final class PipelineMetrics {
  public static final String EVENTS_ACCEPTED = "recsys.events.accepted";
  public static final String DEAD_LETTERS = "recsys.events.dead.letters";
  public static final String RECOMMENDATIONS = "recsys.recommendations";
  public static final String LATENCY = "recsys.recommendation.latency";

  private final MeterRegistry registry;
  private final Counter accepted;
  private final Counter deadLetters;
  private final Counter usersErased;
  private final Counter cooccurrenceItemsExpired;
  private final Counter recommendations;
  private final Map<Strategy, Counter> served = new EnumMap<>(Strategy.class);
  private final Counter trainingExamples;
  private final Counter statesStepped;
  private final Counter statesReread;
  private final Counter statesKept;
  private final Counter listsReused;
  private final Timer latency;
  private final RunDistribution latencyOverRun = new RunDistribution();
  private final DistributionSummary modelBatchUsers;
  private final PrequentialEvaluator prequential = new PrequentialEvaluator();

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted =
        Counter.builder(EVENTS_ACCEPTED)
            .description("Input events that passed validation")
            .register(registry);
    this.deadLetters =
        Counter.builder(DEAD_LETTERS)
            .description("Input records sent to the dead-letter topic")
            .register(registry);
    this.usersErased =
        Counter.builder("recsys.users.erased")
            .description(
                "Deletion requests this instance's stream tasks applied (user-deletions topic)")
            .register(registry);
    this.cooccurrenceItemsExpired =
        Counter.builder("recsys.cooccurrence.items.expired")
            .description(
                "Items whose co-occurrence pairs this instance's stream tasks dropped, unchanged"
                    + " for recsys.cooccurrence.item.expiry.ms")
            .register(registry);
    this.recommendations =
        Counter.builder(RECOMMENDATIONS)
            .description("Recommendation records published")
            .register(registry);
    this.trainingExamples =
        Counter.builder("recsys.training.examples.emitted")
            .description("Training examples written to the training-examples topic")
            .register(registry);
    this.latency =
        latencyTimer(
            LATENCY,
            "Time from an event's record timestamp to its recommendation being computed",
            registry);
    statesStepped =
        Counter.builder("recsys.serving.model.states")
            .tag("path", "stepped")
            .description("Events the model scored by stepping the user's carried LSTM state once")
            .register(registry);
    statesReread =
        Counter.builder("recsys.serving.model.states")
            .tag("path", "reread")
            .description("Events the model scored by re-reading the user's newest items")
            .register(registry);
    statesKept =
        Counter.builder("recsys.serving.model.states")
            .tag("path", "kept")
            .description(
                "Events the model scored from the user's carried state as it was: the event did"
                    + " not move the user to a new item")
            .register(registry);
    listsReused =
        Counter.builder("recsys.serving.model.lists.reused")
            .description(
                "Events whose model list was reused: the same state had been scored by the same"
                    + " model version (a kept state, or a repeat within one batch)")
            .register(registry);
    modelBatchUsers =
        DistributionSummary.builder("recsys.serving.model.batch.users")
            .description(
                "Events one serving batch (one flush of one task) hands to the model: they share"
                    + " each model call's fixed cost, so small batches cost far more per event"
                    + " (see recsys.serving.batch.wait.ms)")
            .register(registry);
    Map<String, Function<PrequentialEvaluator.Window, MetricsRecord.Quality>> figures =
        new LinkedHashMap<>();
    figures.put("model", PrequentialEvaluator.Window::model);
    figures.put("popularity", PrequentialEvaluator.Window::popularity);
    figures.put("cooccurrence", PrequentialEvaluator.Window::cooccurrence);
    figures.put("blend", PrequentialEvaluator.Window::blend);
    figures.put("served", PrequentialEvaluator.Window::served);
    figures.forEach(
        (strategy, figure) -> {
          Gauge.builder(
                  "recsys.prequential.hr10", prequential, p -> figure.apply(p.totals()).hitRate10())
              .tag("strategy", strategy)
              .description("Prequential HR@10 since start (served: the lists users were given)")
              .register(registry);
          Gauge.builder(
                  "recsys.prequential.ndcg10", prequential, p -> figure.apply(p.totals()).ndcg10())
              .tag("strategy", strategy)
              .description("Prequential NDCG@10 since start (served: the lists users were given)")
              .register(registry);
        });
    Map<String, Function<PrequentialEvaluator.IndexCheck, MetricsRecord.Quality>> checked =
        new LinkedHashMap<>();
    checked.put("index", PrequentialEvaluator.IndexCheck::index);
    checked.put("exhaustive", PrequentialEvaluator.IndexCheck::exhaustive);
    checked.forEach(
        (path, figure) ->
            Gauge.builder(
                    "recsys.serving.index.check.hr10",
                    prequential,
                    p -> figure.apply(p.indexCheck()).hitRate10())
                .tag("path", path)
                .description(
                    "Prequential HR@10 of the model's lists on the events whose list was checked"
                        + " (recsys.serving.index.check.share): made through the index (index)"
                        + " and with every item scored from the same state (exhaustive)")
                .register(registry));
    for (Strategy strategy : Strategy.values()) {
      served.put(
          strategy,
          Counter.builder("recsys.recommendations.served")
              .tag("strategy", strategy.wireName())
              .description("Recommendation lists published, by the strategy that made them")
              .register(registry));
    }
  }

  /**
   * A latency timer (exported in seconds) whose p50 and p99 describe the last ~30 s (what a
   * dashboard shows), with a histogram for scrapers that aggregate across instances.
   */
  public static Timer latencyTimer(String name, String description, MeterRegistry registry) {
    return Timer.builder(name)
        .description(description)
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram()
        .distributionStatisticExpiry(Duration.ofSeconds(30))
        .distributionStatisticBufferLength(3)
        .register(registry);
  }

  /** Metrics kept in memory only, for tests and tools that export nothing. */
  public static PipelineMetrics inMemory() {
    return new PipelineMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Test-then-train quality of the served lists. */
  public PrequentialEvaluator prequential() {
    return prequential;
  }

  public void eventAccepted() {
    accepted.increment();
  }

  public void trainingExampleEmitted() {
    trainingExamples.increment();
  }

  public double trainingExamplesEmitted() {
    return trainingExamples.count();
  }

  public void deadLetter() {
    deadLetters.increment();
  }

  public void userErased() {
    usersErased.increment();
  }

  public void cooccurrenceItemsExpired(int items) {
    cooccurrenceItemsExpired.increment(items);
  }

  /** Items whose co-occurrence pairs this instance's stream tasks dropped as expired so far. */
  public long cooccurrenceItemsExpired() {
    return (long) cooccurrenceItemsExpired.count();
  }

  /** Deletion requests applied by this instance's stream tasks so far. */
  public long usersErased() {
    return (long) usersErased.count();
  }

  /**
   * How a serving batch of {@code events} model-scored events got their LSTM states, and how many
   * of their lists were reused rather than scored (see {@code CarriedStates}).
   */
  public void modelBatch(int events, long stepped, long reread, long kept, long reused) {
    modelBatchUsers.record(events);
    listsReused.increment(reused);
    statesStepped.increment(stepped);
    statesReread.increment(reread);
    statesKept.increment(kept);
  }

  /** Counts one published list made by {@code strategy}. */
  public void served(Strategy strategy) {
    served.get(strategy).increment();
  }

  /** Lists published by {@code strategy} since this process started. */
  public double servedBy(Strategy strategy) {
    return served.get(strategy).count();
  }

  public void recommendationSent(long latencyMillis) {
    recommendations.increment();
    latency.record(Math.max(0, latencyMillis), TimeUnit.MILLISECONDS);
    latencyOverRun.record(latencyMillis);
  }

  /** Latency of every recommendation since this process started, in ms. */
  public RunDistribution latencyOverRun() {
    return latencyOverRun;
  }

  public double eventsAccepted() {
    return accepted.count();
  }

  public double deadLetters() {
    return deadLetters.count();
  }

  public double recommendations() {
    return recommendations.count();
  }

  /** Latency percentile (0.5 or 0.99) over the last ~30 s, in ms; NaN when nothing was recorded. */
  public double latencyPercentileMillis(double percentile) {
    return publishedPercentileMillis(latency, percentile);
  }

  /**
   * One of the percentiles {@code timer} was built to publish, in ms, from its current window; NaN
   * when it publishes no such percentile or nothing was recorded.
   */
  public static double publishedPercentileMillis(Timer timer, double percentile) {
    for (var value : timer.takeSnapshot().percentileValues()) {
      if (value.percentile() == percentile) {
        return value.value(TimeUnit.MILLISECONDS);
      }
    }
    return Double.NaN;
  }
}
