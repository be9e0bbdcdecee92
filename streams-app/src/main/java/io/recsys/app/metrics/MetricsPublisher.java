package io.recsys.app.metrics;

import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.kafka.InstanceName;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.prequential.PrequentialEvaluator;
import io.recsys.schemas.MetricsRecord;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.Strategy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code recsys.metrics.interval.ms}, produces one {@link MetricsRecord} (key = instance) to
 * the {@code metrics} topic: rates over the window from the {@link PipelineMetrics} counters,
 * latency percentiles, the model serving and, where this process trains, the trainer's figures.
 *
 * <p>It is the only reader that drains the window figures ({@link
 * PrequentialEvaluator#drainWindow()}, {@link TrainerMetrics#drainMeanLoss()}); a second drainer
 * would split the windows between them.
 */
public final class MetricsPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsPublisher.class);

  private final Sources sources;
  private final String topic;
  private final String instance;
  private final Producer<String, MetricsRecord> producer;
  private final LongSupplier clock;
  private final ScheduledExecutorService scheduler;
  private Window last;

  /**
   * What the publisher reads; separate from {@link MeasuredInstance} so that tests can supply it.
   */
  public record Sources(
      PipelineMetrics pipeline,
      TrainerMetrics trainer,
      BooleanSupplier trainerRunning,
      CurrentModel model) {}

  private record Window(
      long at,
      double events,
      double recommendations,
      double deadLetters,
      long examplesTrained,
      Map<Strategy, Double> served) {}

  /** Starts publishing for {@code app} with its own producer. */
  public static MetricsPublisher start(MeasuredInstance app) {
    Map<String, Object> producerConfig =
        ClientConfigs.subset(app.streamsConfig(), ProducerConfig.configNames());
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "recsys-metrics-publisher");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    Producer<String, MetricsRecord> producer =
        new KafkaProducer<>(
            producerConfig, new StringSerializer(), SchemaSerdes.metrics().serializer());
    Sources sources =
        new Sources(app.metrics(), app.trainerMetrics(), app::trainerRunning, app.model());
    return new MetricsPublisher(
        sources,
        producer,
        app.settings().topics().metrics(),
        InstanceName.of(app.streamsConfig()),
        Duration.ofMillis(app.settings().instance().metricsIntervalMs()),
        System::currentTimeMillis);
  }

  /**
   * @param producer owned by this publisher from now on (closed by {@link #close()})
   */
  public MetricsPublisher(
      Sources sources,
      Producer<String, MetricsRecord> producer,
      String topic,
      String instance,
      Duration interval,
      LongSupplier clock) {
    this.sources = sources;
    this.producer = producer;
    this.topic = topic;
    this.instance = instance;
    this.clock = clock;
    this.last = snapshot();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "recsys-metrics-publisher");
              thread.setDaemon(true);
              return thread;
            });
    long millis = interval.toMillis();
    scheduler.scheduleAtFixedRate(this::publishSafely, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void publishSafely() {
    try {
      publish();
    } catch (RuntimeException e) {
      // A failed report must not stop the next ones.
      LOG.warn("Cannot publish metrics to {}", topic, e);
    }
  }

  /** Produces the record for the window since the previous one; returns it. */
  synchronized MetricsRecord publish() {
    MetricsRecord record = next();
    producer.send(new ProducerRecord<>(topic, instance, record));
    return record;
  }

  /** The record of the window since the previous call. */
  synchronized MetricsRecord next() {
    Window now = snapshot();
    Window previous = last;
    last = now;
    double seconds = Math.max(1, now.at() - previous.at()) / 1000.0;
    PipelineMetrics pipeline = sources.pipeline();
    PrequentialEvaluator.Window quality = pipeline.prequential().drainWindow();
    Optional<CurrentModel.Loaded> model = sources.model().get();
    boolean training = sources.trainerRunning().getAsBoolean();
    TrainerMetrics trainer = sources.trainer();
    Double loss = training ? finite(trainer.drainMeanLoss()) : null;
    return new MetricsRecord(
        MetricsRecord.SCHEMA_VERSION,
        instance,
        previous.at(),
        now.at(),
        (now.events() - previous.events()) / seconds,
        (now.recommendations() - previous.recommendations()) / seconds,
        (now.deadLetters() - previous.deadLetters()) / seconds,
        (long) now.events(),
        (long) now.recommendations(),
        (long) now.deadLetters(),
        latency(pipeline, now, 0.5),
        latency(pipeline, now, 0.99),
        model.map(m -> m.version().version()).orElse(null),
        model.map(m -> Math.max(0, now.at() - m.version().createdAt())).orElse(null),
        training ? trainer.lag() : null,
        loss,
        training ? (now.examplesTrained() - previous.examplesTrained()) / seconds : null,
        model.isPresent() ? quality.model() : null,
        quality.popularity(),
        scored(quality.cooccurrence()),
        scored(quality.blend()),
        quality.served(),
        shares(previous, now));
  }

  private Window snapshot() {
    PipelineMetrics pipeline = sources.pipeline();
    return new Window(
        clock.getAsLong(),
        pipeline.eventsAccepted(),
        pipeline.recommendations(),
        pipeline.deadLetters(),
        sources.trainer().examplesTrained(),
        servedCounts(pipeline));
  }

  private static Map<Strategy, Double> servedCounts(PipelineMetrics pipeline) {
    Map<Strategy, Double> counts = new EnumMap<>(Strategy.class);
    for (Strategy s : Strategy.values()) {
      counts.put(s, pipeline.servedBy(s));
    }
    return counts;
  }

  /** Each strategy's share of the lists made between two windows; null when none was made. */
  private static Map<String, Double> shares(Window previous, Window now) {
    Map<String, Double> made = new LinkedHashMap<>();
    double total = 0;
    for (Strategy s : Strategy.values()) {
      double lists = now.served().get(s) - previous.served().get(s);
      made.put(s.wireName(), lists);
      total += lists;
    }
    if (total <= 0) {
      return null;
    }
    double all = total;
    made.replaceAll((strategy, lists) -> lists / all);
    return made;
  }

  /** Absent until a recommendation was made: an empty histogram reports 0, not "none". */
  private static Double latency(PipelineMetrics pipeline, Window now, double percentile) {
    return now.recommendations() > 0 ? finite(pipeline.latencyPercentileMillis(percentile)) : null;
  }

  /** Absent while a strategy held no list for the window's events (off, or not yet able). */
  private static MetricsRecord.Quality scored(MetricsRecord.Quality quality) {
    return quality.events() > 0 ? quality : null;
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /**
   * Closing order: the scheduler (no new report; waits for one in flight), then the producer
   * (flushes what was sent).
   */
  @Override
  public void close() {
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
