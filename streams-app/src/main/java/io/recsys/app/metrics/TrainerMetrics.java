package io.recsys.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * What the trainer reports: examples trained, loss, lag behind the topic, freshness, and the model
 * versions it published (snapshots and deltas, with their sizes).
 */
public final class TrainerMetrics {
  private final Counter examples;
  private final AtomicLong lag = new AtomicLong();
  private final AtomicLong trained = new AtomicLong();
  private final Timer freshness;
  private final RunDistribution freshnessOverRun = new RunDistribution();
  private final DoubleAdder windowLoss = new DoubleAdder();
  private final AtomicLong windowBatches = new AtomicLong();
  private final DistributionSummary snapshotBytes;
  private final DistributionSummary deltaBytes;
  private final Counter statesStepped;
  private final Counter statesReread;
  private final Counter skipped;
  private final Counter erased;
  private final Counter itemsExpired;

  public TrainerMetrics(MeterRegistry registry) {
    this.examples =
        Counter.builder("recsys.trainer.examples")
            .description("Training examples folded into the model")
            .register(registry);
    Gauge.builder("recsys.trainer.lag", lag, AtomicLong::get)
        .description("Training examples on the topic not yet trained on")
        .register(registry);
    this.freshness =
        Timer.builder("recsys.model.freshness")
            .description(
                "Time from an event's record timestamp to the publication of the first model"
                    + " version trained on it")
            .publishPercentiles(0.5, 0.99)
            .distributionStatisticExpiry(Duration.ofSeconds(60))
            .distributionStatisticBufferLength(3)
            .register(registry);
    this.erased =
        Counter.builder("recsys.trainer.users.erased")
            .description("Deletion markers the trainer applied (a user's carried state dropped)")
            .register(registry);
    this.skipped =
        Counter.builder("recsys.trainer.skipped")
            .description(
                "Training examples skipped because they could not reach a published model within"
                    + " the freshness bound (recsys.trainer.max.lag.ms)")
            .register(registry);
    this.itemsExpired =
        Counter.builder("recsys.trainer.items.expired")
            .description(
                "Items whose model rows were released after going unseen for"
                    + " recsys.trainer.item.expiry.ms or beyond recsys.trainer.max.items")
            .register(registry);
    this.snapshotBytes = publicationSize(registry, "snapshot");
    this.deltaBytes = publicationSize(registry, "delta");
    this.statesStepped =
        Counter.builder("recsys.trainer.states")
            .tag("path", "stepped")
            .description(
                "Examples whose state before the newest items was stepped once from the user's"
                    + " carried state")
            .register(registry);
    this.statesReread =
        Counter.builder("recsys.trainer.states")
            .tag("path", "reread")
            .description("Examples whose state before the newest items was re-read from the items")
            .register(registry);
  }

  /** A deletion marker applied. */
  public void userErased() {
    erased.increment();
  }

  /** Examples skipped to stay within the freshness bound. */
  public void skipped(long count) {
    skipped.increment(count);
  }

  /** Items released for going unseen. */
  public void itemsExpired(int count) {
    itemsExpired.increment(count);
  }

  /** Items released for going unseen since this process started. */
  public long itemsExpired() {
    return (long) itemsExpired.count();
  }

  /** Examples skipped to stay within the freshness bound since this process started. */
  public long examplesSkipped() {
    return (long) skipped.count();
  }

  /** How a micro-batch got its examples' states (see {@code recsys.trainer.state.steps}). */
  public void states(long stepped, long reread) {
    statesStepped.increment(stepped);
    statesReread.increment(reread);
  }

  private static DistributionSummary publicationSize(MeterRegistry registry, String kind) {
    return DistributionSummary.builder("recsys.model.published")
        .description("Model versions published to model-updates and their payload size, by kind")
        .baseUnit("bytes")
        .tag("kind", kind)
        .register(registry);
  }

  public void published(boolean delta, int bytes) {
    (delta ? deltaBytes : snapshotBytes).record(bytes);
  }

  /** Publications and their bytes since this process started, full snapshots and deltas. */
  public record Publications(
      long snapshots, double snapshotBytes, long deltas, double deltaBytes) {}

  public Publications publications() {
    return new Publications(
        snapshotBytes.count(),
        snapshotBytes.totalAmount(),
        deltaBytes.count(),
        deltaBytes.totalAmount());
  }

  public void trained(int count, double meanLoss) {
    examples.increment(count);
    trained.addAndGet(count);
    windowLoss.add(meanLoss);
    windowBatches.incrementAndGet();
  }

  public void lag(long examplesBehind) {
    lag.set(examplesBehind);
  }

  public void freshness(long millis) {
    freshness.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    freshnessOverRun.record(millis);
  }

  /** Freshness of every example trained since this process started, in ms. */
  public RunDistribution freshnessOverRun() {
    return freshnessOverRun;
  }

  /** Examples trained since this process started. */
  public long examplesTrained() {
    return trained.get();
  }

  public long lag() {
    return lag.get();
  }

  /** Mean loss of the batches since the last call, or NaN when none. */
  public double drainMeanLoss() {
    long batches = windowBatches.getAndSet(0);
    double loss = windowLoss.sumThenReset();
    return batches == 0 ? Double.NaN : loss / batches;
  }

  /** Freshness percentile (0.5 or 0.99) in ms, NaN when none was recorded. */
  public double freshnessPercentileMillis(double percentile) {
    return PipelineMetrics.publishedPercentileMillis(freshness, percentile);
  }
}
