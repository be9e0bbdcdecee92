package io.recsys.app.demo;

import io.recsys.app.RecsysApp;
import io.recsys.app.RecsysService;
import io.recsys.app.broker.EmbeddedKafkaBroker;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.metrics.ProcessUsage;
import io.recsys.app.metrics.ResourceSample;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.Strategy;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine: an embedded Kafka broker, the pipeline, and a producer feeding
 * it events, with a progress line every few seconds.
 *
 * <p>Closing order: the producer, the output counter, the service (publisher, HTTP, pipeline), then
 * the broker, then the temporary directory.
 */
public final class DemoRun {
  /** Lists published per strategy, by wire name. */
  private static Map<String, Long> servedBy(PipelineMetrics metrics) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Strategy strategy : Strategy.values()) {
      counts.put(strategy.wireName(), (long) metrics.servedBy(strategy));
    }
    return counts;
  }

  private static DemoResult.Served served(RecsysApp app) {
    long items = app.model().get().map(m -> (long) m.knownItemCount()).orElse(0L);
    long indexed = app.model().retrieval().map(r -> (long) r.index().items()).orElse(0L);
    return new DemoResult.Served(
        items,
        indexed,
        app.model().indexBuilds(),
        app.model().indexRecall(),
        app.model().retrieval().map(r -> (long) r.unindexedCount()).orElse(0L),
        app.model().retrieval().map(r -> r.index().visitsPerSearch()).orElse(Double.NaN),
        app.metrics().prequential().indexCheck(),
        ResourceSample.now(0, 0, 0, Double.NaN).heapAfterGcBytes());
  }

  private static final Logger LOG = LoggerFactory.getLogger(DemoRun.class);

  /** How long the drain waits for the pipeline to make progress before giving up. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);

  /** The queueing the adaptive feed allows above the pipeline's own event-to-answer time. */
  static final Duration ADAPTIVE_BACKLOG = Duration.ofMillis(250);

  private static final Duration PIPELINE_START_TIMEOUT = Duration.ofSeconds(120);

  private final DemoOptions options;
  private final PrintStream out;
  private final AtomicBoolean stopRequested = new AtomicBoolean();

  public DemoRun(DemoOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Asks a running {@link #run()} to stop feeding and finish; safe from any thread. */
  public void requestStop() {
    stopRequested.set(true);
  }

  public DemoResult run() throws IOException, InterruptedException {
    long commandStart = System.nanoTime();
    boolean temporary = options.workDir() == null;
    Path workDir = temporary ? Files.createTempDirectory("recsys-demo-") : options.workDir();
    try {
      return run(commandStart, workDir);
    } finally {
      if (temporary) {
        Utils.delete(workDir.toFile());
      }
    }
  }

  private DemoResult run(long commandStart, Path workDir) throws IOException, InterruptedException {
    Iterator<UserEvent> events =
        EventSources.open(options.data(), options.columns(), options.catalogue(), options.seed());
    // The batch arm replays exactly the valid events the pipeline got, after the pipeline stops.
    List<UserEvent> sentEvents = options.batchComparison() == null ? null : new ArrayList<>();
    DemoResult result;
    RecsysSettings settings;
    long brokerStart = System.nanoTime();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"))) {
      long brokerStartMillis = (System.nanoTime() - brokerStart) / 1_000_000;
      out.printf(
          "Kafka broker on %s (started in %d ms)%n", broker.bootstrapServers(), brokerStartMillis);
      Map<String, Object> config = new HashMap<>(options.config());
      config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      config.putIfAbsent(StreamsConfig.APPLICATION_ID_CONFIG, "recsys-demo");
      // A demo on a laptop: its API answers this machine only unless the config says otherwise.
      config.putIfAbsent(RecsysConfig.HTTP_BIND_ADDRESS_CONFIG, "127.0.0.1");
      config.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("state").toString());
      // One instance: a standby replica would have nowhere to go (Kafka Streams warns per task).
      config.putIfAbsent(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
      // One process: partitions beyond its stream threads add no parallelism, they only split
      // each serving batch into one model call per task, and a call's fixed cost (packing the
      // output weights) is paid per call. One partition per stream thread, unless configured.
      config.putIfAbsent(
          RecsysConfig.TOPIC_PARTITIONS_CONFIG,
          String.valueOf(config.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1")));
      try (RecsysService service = RecsysService.start(config, state -> {});
          OutputCounter counter =
              new OutputCounter(
                  broker.bootstrapServers(),
                  service.app().settings().topics().recommendations(),
                  service.app().settings().topics().deadLetters(),
                  service.app().metrics().registry());
          KafkaProducer<byte[], byte[]> producer = newProducer(broker.bootstrapServers())) {
        RecsysApp app = service.app();
        service.url().ifPresent(url -> out.printf("Dashboard and query API: %s%n", url));
        // Events sent before the stream tasks are assigned would wait out the group join in the
        // topic, and a rated run would start seconds behind: the latency over the run measured
        // the join. Feed once the pipeline runs.
        if (!app.awaitRunning(PIPELINE_START_TIMEOUT)) {
          throw new IllegalStateException(
              "the pipeline did not start within "
                  + PIPELINE_START_TIMEOUT.toSeconds()
                  + " s (Kafka Streams state "
                  + app.streams().state()
                  + ")");
        }
        Watch watch = new Watch(app, counter, commandStart);
        Feed feed = feed(events, producer, app.settings(), watch, sentEvents);
        long drained = drain(feed, watch);
        ProcessUsage usage = ProcessUsage.now().since(feed.usageAtStart());
        watch.curve.finish((long) app.metrics().eventsAccepted());
        long first = counter.firstRecommendationNanos();
        var totals = app.metrics().prequential().totals();
        settings = app.settings();
        result =
            new DemoResult(
                options.data(),
                feed.sent(),
                counter.recommendations(),
                counter.deadLetters(),
                (drained - feed.startNanos()) / 1e9,
                options.adaptiveRate()
                    ? "auto"
                    : options.eventsPerSecond() > 0
                        ? Long.toString(Math.round(options.eventsPerSecond()))
                        : "max",
                feed.finalRate(),
                usage,
                brokerStartMillis,
                first == 0 ? -1 : (first - commandStart) / 1_000_000,
                totals.model(),
                totals.popularity(),
                totals.cooccurrence(),
                totals.blend(),
                totals.served(),
                servedBy(app.metrics()),
                (long) app.metrics().trainingExamplesEmitted(),
                app.trainerMetrics().examplesTrained(),
                app.trainerMetrics().examplesSkipped(),
                app.model().get().map(m -> m.version().version()).orElse("none"),
                DemoResult.Delays.of(
                    app.metrics()::latencyPercentileMillis,
                    counter::deliveredPercentileMillis,
                    app.trainerMetrics()::freshnessPercentileMillis),
                DemoResult.Delays.of(
                    app.metrics().latencyOverRun()::percentile,
                    counter.deliveredOverRun()::percentile,
                    app.trainerMetrics().freshnessOverRun()::percentile),
                app.trainerMetrics().publications(),
                watch.curve.points(),
                watch.resources,
                served(app),
                null);
      }
    }
    DemoOptions.BatchComparison batch = options.batchComparison();
    if (batch == null) {
      return result;
    }
    out.printf(
        "Interval-trained copy: replaying the %,d valid events, trained every %s of event time"
            + " (%d epoch%s per training)...%n",
        sentEvents.size(), batch.interval(), batch.epochs(), batch.epochs() == 1 ? "" : "s");
    return result.withBatch(
        new IntervalTrainedBaseline(settings, batch.interval(), batch.epochs())
            .evaluate(sentEvents));
  }

  /**
   * What the feed sent, when it started, and the process's usage at that start.
   *
   * @param finalRate the adaptive rate at the end (events/s), or NaN for another feed
   */
  private record Feed(long sent, long startNanos, ProcessUsage usageAtStart, double finalRate) {}

  /** What the feed and drain loops look at: the app, the output counts, progress and curve. */
  private final class Watch {
    final RecsysApp app;
    final OutputCounter counter;
    final Progress progress;
    final PrequentialCurve curve;
    final List<ResourceSample> resources = new ArrayList<>();
    private final long commandStart;
    private long nextSample;

    Watch(RecsysApp app, OutputCounter counter, long commandStart) {
      this.app = app;
      this.counter = counter;
      this.commandStart = commandStart;
      this.nextSample = System.nanoTime() + options.resourceInterval().toNanos();
      this.progress = new Progress(commandStart, options.progressInterval());
      this.curve = new PrequentialCurve(app.metrics().prequential(), options.windowEvents());
    }

    /**
     * Events the pipeline has not answered yet, plus, when pacing by the trainer, examples the
     * trainer has not trained on yet.
     */
    long behind(long sent) {
      long streamBehind = sent - counter.recommendations() - counter.deadLetters();
      long trainerBehind =
          options.paceByTrainer()
              ? app.trainer()
                  .map(t -> (long) app.metrics().trainingExamplesEmitted() - t.consumed())
                  .orElse(0L)
              : 0L;
      return Math.max(0, streamBehind) + Math.max(0, trainerBehind);
    }

    void tick(long sent) {
      curve.sample((long) app.metrics().eventsAccepted());
      progress.maybePrint(out, sent, this);
      long now = System.nanoTime();
      if (!options.resourceInterval().isZero() && now >= nextSample) {
        nextSample = now + options.resourceInterval().toNanos();
        ResourceSample sample =
            ResourceSample.afterFullCollection(
                (now - commandStart) / 1e9,
                app.rocksDbUsedBytes(),
                app.stateFileBytes(),
                app.metrics().latencyPercentileMillis(0.99));
        resources.add(sample);
        out.printf("[%7.1fs] %s%n", sample.seconds(), sample.line());
      }
    }
  }

  private Feed feed(
      Iterator<UserEvent> events,
      KafkaProducer<byte[], byte[]> producer,
      RecsysSettings settings,
      Watch watch,
      List<UserEvent> sentEvents) {
    String topic = settings.topics().events();
    Serializer<UserEvent> serializer = SchemaSerdes.userEvent().serializer();
    InvalidEventInjector injector = new InvalidEventInjector(options.invalidRate(), options.seed());
    AtomicReference<Exception> sendFailure = new AtomicReference<>();
    AtomicLong failedSends = new AtomicLong();
    ProcessUsage usageAtStart = ProcessUsage.now();
    long start = System.nanoTime();
    long sent = 0;
    AdaptiveRate adaptive =
        options.adaptiveRate() ? new AdaptiveRate(ADAPTIVE_BACKLOG.toNanos() / 1e9) : null;
    long due = start;
    while (events.hasNext()
        && !stopRequested.get()
        && (options.maxEvents() == 0 || sent < options.maxEvents())) {
      UserEvent event = events.next();
      RawRecord original =
          new RawRecord(
              event.userId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, event));
      RawRecord record = injector.apply(original);
      if (sentEvents != null && record == original) {
        sentEvents.add(event);
      }
      producer.send(
          new ProducerRecord<>(topic, record.key(), record.value()),
          (metadata, error) -> {
            if (error != null) {
              failedSends.incrementAndGet();
              sendFailure.compareAndSet(null, error);
            }
          });
      sent++;
      if (options.eventsPerSecond() > 0) {
        pace(start, sent);
      } else if (adaptive != null) {
        long now = System.nanoTime();
        double perSecond = adaptive.update(watch.behind(sent), now);
        // Never bank more than a second of lateness: a stall must not end in a burst.
        due = Math.max(due, now - 1_000_000_000L) + (long) (1e9 / perSecond);
        sleepUntil(due);
      }
      if ((sent & 255) == 0) {
        watch.tick(sent);
        // Always bounded: a producer far ahead of the pipeline is not live traffic, and a deep
        // backlog of input starves the item-keyed branch (popularity) until it drains.
        holdWhileBehind(watch, sent);
      }
    }
    producer.flush();
    if (failedSends.get() > 0) {
      LOG.error("{} events could not be sent", failedSends.get(), sendFailure.get());
    }
    return new Feed(
        sent - failedSends.get(),
        start,
        usageAtStart,
        adaptive != null ? adaptive.rate() : Double.NaN);
  }

  /** Waits while the pipeline or the trainer is more than the allowed lag behind the input. */
  private void holdWhileBehind(Watch watch, long sent) {
    while (watch.behind(sent) > options.maxTrainerLag() && !stopRequested.get()) {
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopRequested.set(true);
      }
      watch.tick(sent);
    }
  }

  /** Sleeps so that {@code sent} events take at least {@code sent / rate} seconds. */
  private void pace(long startNanos, long sent) {
    sleepUntil(startNanos + (long) (sent * 1e9 / options.eventsPerSecond()));
  }

  private void sleepUntil(long due) {
    long wait = due - System.nanoTime();
    if (wait > 1_000_000) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopRequested.set(true);
      }
    }
  }

  /** Waits until every sent event has an output record; returns the time of the last one. */
  private long drain(Feed feed, Watch watch) throws InterruptedException {
    OutputCounter counter = watch.counter;
    long lastOutput = counter.recommendations() + counter.deadLetters();
    long lastChange = System.nanoTime();
    Duration stallTimeout = stopRequested.get() ? Duration.ofSeconds(5) : STALL_TIMEOUT;
    while (lastOutput < feed.sent()) {
      if (counter.failure() != null) {
        throw new IllegalStateException("Output counter failed", counter.failure());
      }
      Thread.sleep(10);
      long output = counter.recommendations() + counter.deadLetters();
      if (output != lastOutput) {
        lastOutput = output;
        lastChange = System.nanoTime();
      } else if (System.nanoTime() - lastChange > stallTimeout.toNanos()) {
        LOG.warn(
            "No output for {} s; {} of {} events have no output record yet",
            stallTimeout.toSeconds(),
            feed.sent() - output,
            feed.sent());
        break;
      }
      watch.tick(feed.sent());
    }
    watch.progress.print(out, feed.sent(), watch);
    return lastChange;
  }

  private static KafkaProducer<byte[], byte[]> newProducer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            128 * 1024,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4"),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** Prints a progress line at most once per interval. */
  private static final class Progress {
    private final long commandStart;
    private final long intervalNanos;
    private long nextNanos;
    private long lastSent;
    private long lastNanos;

    Progress(long commandStart, Duration interval) {
      this.commandStart = commandStart;
      this.intervalNanos = interval.toNanos();
      this.lastNanos = System.nanoTime();
      this.nextNanos = lastNanos + intervalNanos;
    }

    void maybePrint(PrintStream out, long sent, Watch watch) {
      if (System.nanoTime() >= nextNanos) {
        print(out, sent, watch);
      }
    }

    void print(PrintStream out, long sent, Watch watch) {
      long now = System.nanoTime();
      double rate = (sent - lastSent) / Math.max(1e-9, (now - lastNanos) / 1e9);
      OutputCounter counter = watch.counter;
      var totals = watch.app.metrics().prequential().totals();
      out.printf(
          "[%7.1fs] events in %,d (%,.0f/s) | recommendations out %,d | DLQ %,d | pending %,d"
              + " | model %s, trained %,d | HR@10 served %.3f model %.3f co-occurrence %.3f"
              + " popularity %.3f%n",
          (now - commandStart) / 1e9,
          sent,
          rate,
          counter.recommendations(),
          counter.deadLetters(),
          Math.max(0, sent - counter.recommendations() - counter.deadLetters()),
          watch.app.model().get().map(m -> m.version().version()).orElse("none"),
          watch.app.trainerMetrics().examplesTrained(),
          totals.served().hitRate10(),
          totals.model().hitRate10(),
          totals.cooccurrence().hitRate10(),
          totals.popularity().hitRate10());
      out.flush();
      lastSent = sent;
      lastNanos = now;
      nextNanos = now + intervalNanos;
    }
  }
}
