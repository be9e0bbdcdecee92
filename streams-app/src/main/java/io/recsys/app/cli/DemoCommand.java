package io.recsys.app.cli;

import io.recsys.app.demo.CurveReport;
import io.recsys.app.demo.DemoOptions;
import io.recsys.app.demo.DemoResult;
import io.recsys.app.demo.DemoRun;
import io.recsys.schemas.MetricsRecord.Quality;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs everything on this machine: embedded broker, pipeline, and an event feed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start an embedded Kafka broker and the whole pipeline, and feed it events:"
          + " synthetic user behaviour, or a MovieLens replay in timestamp order.",
      "Prints a progress line every few seconds; stops on Ctrl-C or after --max-events."
    })
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      defaultValue = "synthetic",
      paramLabel = "SOURCE",
      description =
          "synthetic, movielens:DIR (a folder with ratings.dat, u.data or ratings.csv), or"
              + " file:PATH (a CSV, TSV or JSON-lines event file; see --columns). Default:"
              + " ${DEFAULT-VALUE}.")
  String data;

  @Mixin EventFileOptions eventFile = new EventFileOptions();

  @Option(
      names = "--items",
      paramLabel = "N",
      description =
          "Synthetic data only: items in the catalogue (long-tailed popularity; new items keep"
              + " arriving and older ones fade). Default: 3000.")
  Integer items;

  @Option(
      names = "--users",
      paramLabel = "N",
      description = "Synthetic data only: users. Default: 20000, or 2 per item with --items.")
  Integer users;

  @Option(
      names = "--max-events",
      defaultValue = "0",
      description = "Stop after this many input events; 0 = no limit. Default: ${DEFAULT-VALUE}.")
  long maxEvents;

  @Option(
      names = "--rate",
      paramLabel = "auto|max|EVENTS_PER_S",
      description =
          "Input rate. auto: the rate this machine sustains, found by backing off while events"
              + " pile up, so latency is measured at a load the system carries; max: as fast as"
              + " the pipeline takes them (up to --max-lag queued), for throughput runs; or a"
              + " fixed number of events per second. Default: auto, or max under --pace trainer"
              + " (which already holds the input back while the trainer is behind).")
  String rate;

  @Option(
      names = "--invalid-rate",
      paramLabel = "SHARE",
      description =
          "Share of input replaced by malformed records to exercise the dead-letter topic."
              + " Default: 0.001 for synthetic data, 0 for MovieLens.")
  Double invalidRate;

  @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--progress-interval",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description = "Seconds between progress lines. Default: ${DEFAULT-VALUE}.")
  double progressSeconds;

  @Option(
      names = "--work-dir",
      description = "Keep broker and state files here (default: a temporary directory, deleted).")
  Path workDir;

  @Option(
      names = "--config",
      description = "Properties file of recsys.* and Kafka Streams settings to override.")
  Path configFile;

  @Option(
      names = "--pace",
      defaultValue = "none",
      paramLabel = "none|trainer",
      description =
          "none: the input waits only while the pipeline is more than --max-lag events behind;"
              + " trainer: also while the trainer is, so that measured quality is what a live"
              + " system keeping up would get. Default: ${DEFAULT-VALUE}.")
  String pace;

  @Option(
      names = "--max-lag",
      defaultValue = "2000",
      description =
          "Events (and, under --pace trainer, examples) the input may run ahead."
              + " Default: ${DEFAULT-VALUE}.")
  long maxLag;

  @Option(
      names = "--window",
      defaultValue = "10000",
      paramLabel = "EVENTS",
      description = "Events per window of the prequential curve. Default: ${DEFAULT-VALUE}.")
  long windowEvents;

  @Option(
      names = "--resource-interval",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description =
          "Every SECONDS, print and record heap after a full collection (forced for the sample),"
              + " RocksDB memory, open files and latency p99, for soak runs (bin/bench-soak); 0 ="
              + " never. Default: ${DEFAULT-VALUE}.")
  double resourceSeconds;

  @Option(
      names = "--report-dir",
      defaultValue = "recsys-demo-report",
      description =
          "Where the prequential curve (Markdown table and PNG) is written."
              + " Default: ${DEFAULT-VALUE}.")
  Path reportDir;

  @Option(
      names = "--compare",
      paramLabel = "batch",
      description =
          "batch: also score a copy of the model trained only every --batch-interval of event"
              + " time on the same events, to show what online learning buys.")
  String compare;

  @Option(
      names = "--batch-interval",
      defaultValue = "P1D",
      description =
          "Event time between the batch copy's trainings (ISO-8601). Default: ${DEFAULT-VALUE}.")
  Duration batchInterval;

  @Option(
      names = "--batch-epochs",
      defaultValue = "1",
      description = "Passes over each interval's examples. Default: ${DEFAULT-VALUE}.")
  int batchEpochs;

  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    if (rate == null) {
      // The trainer's backlog does not shrink with the input rate (it trains in micro-batches),
      // so the auto controller would read it as queueing and back off to its minimum.
      rate = "trainer".equals(pace) ? "max" : "auto";
    }
    checkFlags();
    double invalid = invalidRate != null ? invalidRate : data.equals("synthetic") ? 0.001 : 0;
    DemoOptions options =
        new DemoOptions(
            data,
            eventFile.mapping(),
            catalogue(),
            maxEvents,
            fixedRate(),
            rate.equals("auto"),
            invalid,
            seed,
            Duration.ofMillis((long) (progressSeconds * 1000)),
            workDir,
            ConfigFiles.load(configFile, System.getenv()),
            parsePace(pace),
            maxLag,
            windowEvents,
            Duration.ofMillis((long) (resourceSeconds * 1000)),
            batchComparison());
    DemoRun run = new DemoRun(options, System.out);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              run.requestStop();
              try {
                finished.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "recsys-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // The shutdown hook waits for the latch, so on Ctrl-C the summary still gets printed.
    try {
      return report(run.run());
    } finally {
      finished.countDown();
    }
  }

  private static void printLatency(
      String label,
      DemoResult result,
      ToDoubleFunction<DemoResult.Delays> p50,
      ToDoubleFunction<DemoResult.Delays> p99) {
    System.out.printf(
        "%s: p50 %.0f ms, p99 %.0f ms over the run (last 30 s: %.0f / %.0f ms)%n",
        label,
        p50.applyAsDouble(result.run()),
        p99.applyAsDouble(result.run()),
        p50.applyAsDouble(result.recent()),
        p99.applyAsDouble(result.recent()));
  }

  private int report(DemoResult result) throws IOException {
    System.out.printf(
        "Done: %,d events in %.1f s (%,.0f events/s), %,d recommendations, %,d dead letters,"
            + " %,d without output; first recommendation %d ms after start%n",
        result.eventsSent(),
        result.seconds(),
        result.eventsPerSecond(),
        result.recommendations(),
        result.deadLetters(),
        result.missing(),
        result.firstRecommendationMillis());
    System.out.println(feedLine(result));
    System.out.println(result.usageLine());
    printLatency(
        "Event to recommendation",
        result,
        DemoResult.Delays::latencyP50Ms,
        DemoResult.Delays::latencyP99Ms);
    printLatency(
        "Event to recommendation read by a consumer (read_committed)",
        result,
        DemoResult.Delays::deliveredP50Ms,
        DemoResult.Delays::deliveredP99Ms);
    System.out.printf(
        "Prequential (test-then-train), %s: model HR@10 %.4f NDCG@10 %.4f over %,d events;"
            + " popularity HR@10 %.4f NDCG@10 %.4f over %,d events; %,d cold events%n",
        data,
        result.prequentialModel().hitRate10(),
        result.prequentialModel().ndcg10(),
        result.prequentialModel().events(),
        result.prequentialPopularity().hitRate10(),
        result.prequentialPopularity().ndcg10(),
        result.prequentialPopularity().events(),
        result.prequentialPopularity().coldEvents());
    System.out.printf(
        "Prequential, served lists (strategy chosen per user by live evidence): HR@10 %.4f"
            + " NDCG@10 %.4f over %,d events; co-occurrence HR@10 %.4f NDCG@10 %.4f; blend HR@10"
            + " %.4f NDCG@10 %.4f; lists per strategy %s%n",
        result.prequentialServed().hitRate10(),
        result.prequentialServed().ndcg10(),
        result.prequentialServed().events(),
        result.prequentialCooccurrence().hitRate10(),
        result.prequentialCooccurrence().ndcg10(),
        result.prequentialBlend().hitRate10(),
        result.prequentialBlend().ndcg10(),
        result.servedBy());
    if (result.examplesTrained() > 0) {
      System.out.println(result.modelSyncLine());
      System.out.println(result.servedLine());
    }
    if (result.batch() != null) {
      Quality batch = result.batch().quality();
      System.out.printf(
          "Interval-trained copy (every %s of event time, %d trainings, %.0f s): HR@10 %.4f"
              + " NDCG@10 %.4f over %,d events; %,d cold events%n",
          batchInterval,
          result.batch().trainings(),
          result.batch().seconds(),
          batch.hitRate10(),
          batch.ndcg10(),
          batch.events(),
          batch.coldEvents());
      System.out.printf(
          "Over every event (no list = miss): HR@10 online model %.4f, interval-trained copy"
              + " %.4f, popularity %.4f; online / copy = %.2f%n",
          DemoResult.hitRateOverAll(result.prequentialModel()),
          DemoResult.hitRateOverAll(batch),
          DemoResult.hitRateOverAll(result.prequentialPopularity()),
          DemoResult.hitRateOverAll(result.prequentialModel()) / DemoResult.hitRateOverAll(batch));
    }
    if (!result.curve().isEmpty()) {
      System.out.print(CurveReport.write(result, reportDir));
    }
    json.print(System.out, result.figures());
    return result.missing() == 0 ? 0 : 1;
  }

  private static String feedLine(DemoResult result) {
    return switch (result.feed()) {
      case "auto" ->
          "Feed: the rate this machine sustains (--rate auto), settled at %,.0f events/s: the"
                  .formatted(result.adaptiveRate())
              + " latencies below are at that load";
      case "max" ->
          "Feed: as fast as the pipeline takes events (--rate max), up to --max-lag queued: the"
              + " latencies below include that queue";
      default -> "Feed: a fixed " + result.feed() + " events/s";
    };
  }

  /** The synthetic catalogue's size, or null for the default one. */
  private DemoOptions.Catalogue catalogue() {
    if (items == null && users == null) {
      return null;
    }
    int n = items != null ? items : 3_000;
    return new DemoOptions.Catalogue(n, users != null ? users : items != null ? 2 * n : 20_000);
  }

  /** Every flag checked before the broker starts, each error naming its flag. */
  private void checkFlags() {
    DataSourceArgument.syntheticOrHistory("--data", data);
    eventFile.mapping();
    require(
        (items == null && users == null) || data.equals("synthetic"),
        "--items and --users size synthetic data; they do not apply to --data " + data);
    require(items == null || items >= 1_000, "--items must be >= 1000, got " + items);
    require(users == null || users >= 1, "--users must be >= 1, got " + users);
    require(maxEvents >= 0, "--max-events must be >= 0 (0 = no limit), got " + maxEvents);
    fixedRate();
    require(
        invalidRate == null || (invalidRate >= 0 && invalidRate <= 1),
        "--invalid-rate must be a share in [0, 1], got " + invalidRate);
    require(progressSeconds > 0, "--progress-interval must be > 0 seconds, got " + progressSeconds);
    require(
        pace.equals("none") || pace.equals("trainer"),
        "--pace must be none or trainer, got '" + pace + "'");
    require(maxLag >= 1, "--max-lag must be >= 1, got " + maxLag);
    require(windowEvents >= 1, "--window must be >= 1 event, got " + windowEvents);
    require(resourceSeconds >= 0, "--resource-interval must be >= 0, got " + resourceSeconds);
    require(
        compare == null || compare.equals("batch"),
        "--compare must be batch, got '" + compare + "'");
    require(
        !batchInterval.isNegative() && !batchInterval.isZero(),
        "--batch-interval must be positive, got " + batchInterval);
    require(batchEpochs >= 1, "--batch-epochs must be >= 1, got " + batchEpochs);
  }

  /** The fixed rate of {@code --rate N}; 0 for auto and max. */
  private double fixedRate() {
    if (rate.equals("auto") || rate.equals("max")) {
      return 0;
    }
    double perSecond;
    try {
      perSecond = Double.parseDouble(rate);
    } catch (NumberFormatException e) {
      perSecond = Double.NaN;
    }
    require(
        perSecond >= 0 && Double.isFinite(perSecond),
        "--rate must be auto, max or a number of events per second >= 0, got '" + rate + "'");
    return perSecond;
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  private DemoOptions.BatchComparison batchComparison() {
    if (compare == null) {
      return null;
    }
    if (!compare.equals("batch")) {
      throw new IllegalArgumentException("--compare: expected batch, got " + compare);
    }
    return new DemoOptions.BatchComparison(batchInterval, batchEpochs);
  }

  private static boolean parsePace(String pace) {
    return switch (pace) {
      case "none" -> false;
      case "trainer" -> true;
      default ->
          throw new IllegalArgumentException("--pace: expected none or trainer, got " + pace);
    };
  }
}
