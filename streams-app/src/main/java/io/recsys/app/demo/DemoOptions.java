package io.recsys.app.demo;

import io.recsys.app.eventfiles.ColumnMapping;
import io.recsys.app.eventfiles.EventHistories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a demo run does.
 *
 * @param data {@code synthetic}, {@code movielens:DIR} or {@code file:PATH}
 * @param columns the columns of an event file, or empty to recognise them from its header
 * @param catalogue size of the synthetic catalogue and user base; null for the defaults
 * @param maxEvents stop after this many input records; 0 for no limit (until the data ends or the
 *     run is stopped)
 * @param eventsPerSecond a fixed input rate; 0 for as fast as the pipeline takes them (or, with
 *     {@code adaptiveRate}, for the rate it sustains)
 * @param adaptiveRate feed at the rate the machine sustains ({@link AdaptiveRate})
 * @param invalidRate share of input records replaced by malformed ones, to exercise the DLQ
 * @param seed seed of the synthetic data and of the invalid-record injector
 * @param progressInterval how often a progress line is printed
 * @param workDir where the broker and the state stores keep their files; null for a temporary
 *     directory deleted at the end
 * @param config {@code recsys.*} and Kafka Streams overrides
 * @param paceByTrainer also count the examples the trainer has not trained on in the lag that holds
 *     the input back, so that measured quality is what a live system keeping up would get
 * @param maxTrainerLag the input waits while the pipeline (and, when pacing by the trainer, the
 *     trainer) is more than this many events or examples behind
 * @param windowEvents events per window of the prequential curve
 * @param resourceInterval how often to sample heap after GC, RocksDB memory, open files and latency
 *     (a soak's figures); zero for never
 * @param batchComparison also score an interval-trained copy of the model on the same events (see
 *     {@link io.recsys.app.demo.IntervalTrainedBaseline}); null for none
 */
public record DemoOptions(
    String data,
    Optional<ColumnMapping> columns,
    Catalogue catalogue,
    long maxEvents,
    double eventsPerSecond,
    boolean adaptiveRate,
    double invalidRate,
    long seed,
    Duration progressInterval,
    Path workDir,
    Map<String, Object> config,
    boolean paceByTrainer,
    long maxTrainerLag,
    long windowEvents,
    Duration resourceInterval,
    BatchComparison batchComparison) {

  /**
   * The size of synthetic data.
   *
   * @param items items in the catalogue at the start
   * @param users users
   */
  public record Catalogue(int items, int users) {
    public Catalogue {
      if (items < 1_000 || users < 1) {
        throw new IllegalArgumentException(
            "catalogue: needs >= 1000 items and >= 1 user, got " + items + " and " + users);
      }
    }
  }

  /**
   * The batch arm of the comparison.
   *
   * @param interval event time between its trainings
   * @param epochs passes over each interval's examples
   */
  public record BatchComparison(Duration interval, int epochs) {}

  public DemoOptions {
    if (!data.equals("synthetic") && !EventHistories.names(data)) {
      throw new IllegalArgumentException(
          "data: expected 'synthetic', 'movielens:DIR' or 'file:PATH', got '" + data + "'");
    }
    if (catalogue != null && !data.equals("synthetic")) {
      throw new IllegalArgumentException("catalogue: only synthetic data has a size to set");
    }
    if (maxEvents < 0) {
      throw new IllegalArgumentException("maxEvents: must be >= 0, got " + maxEvents);
    }
    if (adaptiveRate && eventsPerSecond > 0) {
      throw new IllegalArgumentException("eventsPerSecond: a fixed rate excludes adaptiveRate");
    }
    if (eventsPerSecond < 0) {
      throw new IllegalArgumentException("eventsPerSecond: must be >= 0, got " + eventsPerSecond);
    }
    if (invalidRate < 0 || invalidRate > 1) {
      throw new IllegalArgumentException("invalidRate: must be in [0, 1], got " + invalidRate);
    }
    config = Map.copyOf(config);
    if (maxTrainerLag < 1) {
      throw new IllegalArgumentException("maxTrainerLag: must be >= 1, got " + maxTrainerLag);
    }
    if (windowEvents < 1) {
      throw new IllegalArgumentException("windowEvents: must be >= 1, got " + windowEvents);
    }
  }
}
