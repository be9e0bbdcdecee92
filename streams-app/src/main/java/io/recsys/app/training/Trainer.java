package io.recsys.app.training;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.DeletionReports;
import io.recsys.app.kafka.InstanceName;
import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.model.CarriedStates;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.TrainingStats;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.TrainingExampleRecord;
import io.recsys.schemas.UserDeletion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online trainer's loop: takes micro-batches, bounded by size and time, from the {@link
 * ExampleFeed}, folds them into the model, hands a new version to the {@link VersionPublisher}
 * every publish interval, adopts promoted registry versions ({@link PromotionWatcher}, {@link
 * PromotedModels}) between micro-batches, and checkpoints ({@link Checkpointer}) the model together
 * with the offsets it has trained through.
 *
 * <p>Exactly-once training across restarts: the checkpoint holds the model as it was after training
 * on everything before its offsets and nothing after, and a restarted trainer loads it and seeks to
 * those offsets. Examples trained after the last checkpoint are trained again, but on the restored
 * model, so each example is in the model's history exactly once.
 *
 * <p>No version name is published twice: a trainer that resumes from a checkpoint older than the
 * newest version on {@code model-updates} (after a crash, or taking over from another trainer)
 * retrains up to that version without publishing and publishes again, as a snapshot, from the
 * version after it. Under exactly-once, versions are published in transactions under one id per
 * deployment ({@link VersionPublisher}), so a trainer that was replaced cannot publish at all.
 *
 * <p>Runs on its own thread. Closing order: stop the loop, write a final checkpoint, close the
 * feed, the publisher and the promotion watcher, then the model ({@link #abandon()} skips the
 * checkpoint).
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final RecsysSettings.Trainer settings;
  private final RecsysSettings.ModelSync sync;

  /** The streaming model's settings: its window cuts each example's sequence. */
  private final ModelConfig modelSettings;

  private final Checkpointer checkpoints;
  private final TrainerMetrics metrics;
  private final ExampleFeed feed;
  private final VersionPublisher publisher;
  private final PromotionWatcher promotions;
  private final Producer<String, DeletionReport> reports;
  private final String reportsTopic;
  private final String instance;

  /** Replaced when a registry version is adopted; read by other threads for figures only. */
  private volatile NextItemModel model;

  /** The registry version the model continues (null: its own lineage), and its updates then. */
  private String base;

  private long baseUpdates;
  private final Map<Integer, Long> next = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Exception failure;
  private long trainedThroughTimestamp;
  private final List<Long> unpublishedTimestamps = new ArrayList<>();

  private static final long EXPIRY_CHECK_NANOS = 10_000_000_000L;

  /** {@link System#nanoTime()} from which the next publish is due. */
  private long nextPublish;

  /** Wall-clock ms when the earliest example not yet published was taken; 0 when none. */
  private long unpublishedSinceMs;

  private final FreshnessBound freshness;
  private final AtomicLong consumed = new AtomicLong();

  /**
   * Each user's LSTM state before the newest items of their last example, so that the next example
   * steps it once instead of re-reading the window; {@link #lineage} changes when the model is
   * replaced.
   */
  private final CarriedStates carried;

  private long lineage;

  /**
   * Updates of the newest version of this lineage on {@code model-updates}: a version is published
   * only once the model has passed it, so that no name is published twice (a batch may leave the
   * model unchanged; a resumed checkpoint may be behind what was published). -1 when there is none.
   */
  private long publishedThrough = -1;

  /**
   * Loads the checkpoint in {@code dir} if there is one (else starts a new model) and starts
   * training.
   */
  public Trainer(
      RecsysSettings.Trainer settings,
      RecsysSettings.ModelSync sync,
      ModelConfig modelSettings,
      RecsysSettings.Topics topics,
      Map<String, Object> clientConfig,
      Path dir,
      TrainerMetrics metrics)
      throws IOException {
    this.settings = settings;
    this.sync = sync;
    this.modelSettings = modelSettings;
    this.metrics = metrics;
    this.checkpoints = new Checkpointer(dir);
    boolean resumes = checkpoints.exists();
    this.model = checkpoints.loadOrCreate(modelSettings);
    TrainerPosition position = TrainerPosition.parse(model.dataPosition());
    position.offsets().next().forEach(next::put);
    this.base = position.base();
    this.baseUpdates = position.baseUpdates();
    this.carried = new CarriedStates(settings.stateSteps(), settings.stateUsers());
    this.freshness = new FreshnessBound(settings.maxLagMs());
    LOG.info(
        "Trainer {} at {} ({} examples trained so far)",
        resumes ? "resumes from its checkpoint" : "starts a new model",
        next.isEmpty() ? "the beginning" : model.dataPosition(),
        model.examplesTrained());
    ExampleFeed openedFeed = null;
    VersionPublisher openedPublisher = null;
    PromotionWatcher watcher = null;
    Producer<String, DeletionReport> openedReports = null;
    this.reportsTopic = topics.deletionReports();
    this.instance = InstanceName.of(clientConfig);
    try {
      openedReports = DeletionReports.producer(clientConfig, "recsys-trainer-deletion-reports");
      openedFeed =
          new ExampleFeed(
              clientConfig, topics.trainingExamples(), next, settings.batchWaitMs() * 1_000_000);
      openedPublisher =
          new VersionPublisher(
              clientConfig,
              new VersionPublisher.Settings(
                  topics.modelUpdates(),
                  sync.snapshotIntervalMs(),
                  sync.snapshotMaxBytesPerSecond(),
                  sync.deltaTolerance(),
                  sync.quantizedDeltas()),
              dir,
              metrics,
              transactionalId(clientConfig));
      watcher = new PromotionWatcher(clientConfig, topics.modelUpdates(), position.promotions());
      this.feed = openedFeed;
      this.reports = openedReports;
      this.publisher = openedPublisher;
      this.promotions = watcher;
      // Promotions published while the trainer was down are adopted before it trains again.
      var promoted = promotions.catchUp();
      if (promoted.isPresent()) {
        adopt(promoted.get());
      }
      ModelUpdates.lastTrainerVersion(clientConfig, topics.modelUpdates())
          .ifPresent(this::holdBackTo);
    } catch (IOException | RuntimeException e) {
      // No thread runs yet and close() will not be called: release the clients and the model.
      for (AutoCloseable opened :
          new AutoCloseable[] {watcher, openedPublisher, openedFeed, openedReports}) {
        closeQuietly(opened, e);
      }
      model.close();
      throw e;
    }
    this.thread = new Thread(this::loop, "recsys-trainer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The id under which every trainer of the deployment publishes in transactions, under
   * exactly-once; null otherwise (a cluster without transactions needs no transactional ACLs).
   */
  static String transactionalId(Map<String, Object> clientConfig) {
    return StreamsConfig.EXACTLY_ONCE_V2.equals(
            clientConfig.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        ? clientConfig.getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, "recsys") + "-trainer"
        : null;
  }

  /**
   * Publishes nothing until the model has passed {@code published}, if it continues our lineage.
   */
  private void holdBackTo(String published) {
    var updates = ModelUpdates.updatesOf(published, base, baseUpdates);
    if (updates.isEmpty()) {
      return;
    }
    publishedThrough = updates.getAsLong();
    if (publishedThrough > model.updateCount()) {
      LOG.info(
          "{} is already published and the checkpoint is {} updates behind it: publishing resumes"
              + " after it",
          published,
          publishedThrough - model.updateCount());
    }
  }

  private static void closeQuietly(AutoCloseable resource, Exception failure) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      failure.addSuppressed(e);
    }
  }

  private void loop() {
    List<ConsumerRecord<String, TrainingExampleRecord>> batch = new ArrayList<>();
    long batchStarted = System.nanoTime();
    nextPublish = System.nanoTime();
    long nextCheckpoint = System.nanoTime() + settings.checkpointIntervalMs() * 1_000_000;
    long nextExpiry = System.nanoTime();
    try {
      while (!closed) {
        feed.poll(Duration.ofMillis(Math.min(50, settings.batchWaitMs())));
        ConsumerRecord<String, TrainingExampleRecord> record;
        while ((record = feed.next()) != null) {
          if (record.value() == null) {
            // The examples before it are trained first, so that none carries the state again.
            if (!batch.isEmpty()) {
              train(batch);
              batch.clear();
            }
            forget(record);
            continue;
          }
          if (tooLate(record)) {
            continue;
          }
          if (batch.isEmpty()) {
            batchStarted = System.nanoTime();
          }
          batch.add(record);
          if (batch.size() >= settings.batchSize()) {
            train(batch);
            batch.clear();
            // A poll can hand over seconds of backlog: publishing waits for no drained buffer.
            publishIfDue(System.nanoTime());
          }
        }
        long now = System.nanoTime();
        if (!batch.isEmpty() && now - batchStarted >= settings.batchWaitMs() * 1_000_000) {
          train(batch);
          batch.clear();
        }
        // Between micro-batches: the batch in hand has not moved the offsets, so it is trained
        // on the adopted model.
        var promoted = promotions.poll(Duration.ZERO);
        if (promoted.isPresent()) {
          adopt(promoted.get());
        }
        publishIfDue(now);
        if ((settings.itemExpiryMs() > 0 || settings.maxItems() > 0) && now >= nextExpiry) {
          expireUnseenItems();
          nextExpiry = now + EXPIRY_CHECK_NANOS;
        }
        if (now >= nextCheckpoint) {
          checkpoint();
          nextCheckpoint = now + settings.checkpointIntervalMs() * 1_000_000;
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop; the batch in hand is not trained and not checkpointed.
    } catch (Exception e) {
      failure = e;
      LOG.error("Trainer stopped; serving keeps the last published model", e);
    }
  }

  /**
   * A tombstone on {@code training-examples}: the user was forgotten after the examples before it.
   * Drops the user's carried state and reports; the model holds no user data. The audit line names
   * the request, not the user.
   */
  private void forget(ConsumerRecord<String, TrainingExampleRecord> marker) {
    boolean held = marker.key() != null && carried.forget(marker.key());
    next.put(marker.partition(), marker.offset() + 1);
    consumed.incrementAndGet();
    Header header = marker.headers().lastHeader(UserDeletion.REQUEST_HEADER);
    String requestId =
        header != null
            ? new String(header.value(), StandardCharsets.UTF_8)
            : marker.topic() + "-" + marker.partition() + "@" + marker.offset();
    DeletionReport report =
        new DeletionReport(
            DeletionReport.SCHEMA_VERSION,
            requestId,
            DeletionReport.TRAINER,
            instance,
            marker.partition(),
            Map.of("trainer-carried-states", held ? 1L : 0L),
            System.currentTimeMillis());
    DeletionReports.send(reports, reportsTopic, report);
    metrics.userErased();
    LOG.info("Deletion {} applied by the trainer: removed {}", requestId, report.removed());
  }

  /**
   * Whether {@code record} is too late for the freshness bound ({@link FreshnessBound}); a late one
   * is skipped, its offset counted as done, so a trainer that fell behind catches up to recent
   * examples. Otherwise notes when the first example of the next version was taken.
   */
  private boolean tooLate(ConsumerRecord<String, TrainingExampleRecord> record) {
    long now = System.currentTimeMillis();
    if (!freshness.skip(now, record.timestamp(), () -> feed.headTimestamp(now))) {
      if (unpublishedSinceMs == 0) {
        unpublishedSinceMs = now;
      }
      return false;
    }
    next.put(record.partition(), record.offset() + 1);
    consumed.incrementAndGet();
    metrics.skipped(1);
    return true;
  }

  private void train(List<ConsumerRecord<String, TrainingExampleRecord>> batch) {
    List<TrainingExample> examples = new ArrayList<>(batch.size());
    boolean carry = settings.stateSteps() > 0;
    List<String> users = new ArrayList<>(batch.size());
    List<List<String>> prefixes = new ArrayList<>(batch.size());
    int backprop = model.config().backpropSteps();
    for (var record : batch) {
      TrainingExampleRecord value = record.value();
      List<String> sequence = modelSettings.recent(value.sequence());
      if (carry) {
        // The newest items get gradients; the state before them comes from the carried one.
        int cut = Math.max(0, sequence.size() - backprop);
        users.add(value.userId());
        prefixes.add(sequence.subList(0, cut));
        sequence = sequence.subList(cut, sequence.size());
      }
      examples.add(
          new TrainingExample(sequence, value.target(), value.weight(), value.eventTime()));
      next.put(record.partition(), record.offset() + 1);
      trainedThroughTimestamp = Math.max(trainedThroughTimestamp, record.timestamp());
      unpublishedTimestamps.add(record.timestamp());
    }
    List<SequenceState> starts = null;
    if (carry) {
      long stepped = carried.stepped();
      long reread = carried.reread();
      starts = carried.states(model, lineage, users, prefixes);
      metrics.states(carried.stepped() - stepped, carried.reread() - reread);
    }
    TrainingStats stats = MicroBatchStep.train(model, examples, starts, settings.batchSize());
    consumed.addAndGet(batch.size());
    model.setDataPosition(position());
    metrics.trained(examples.size(), stats.meanLoss());
  }

  /**
   * Releases the rows of items unseen for {@code recsys.trainer.item.expiry.ms}, then of the least
   * recently seen beyond {@code recsys.trainer.max.items}; the next delta carries the released rows
   * to serving, which then no longer recommends those items.
   */
  private void expireUnseenItems() {
    int unseen = 0;
    if (settings.itemExpiryMs() > 0) {
      unseen = model.expireUnseenFor(settings.itemExpiryMs()).size();
    }
    int beyond = 0;
    if (settings.maxItems() > 0) {
      beyond = model.expireBeyond(settings.maxItems()).size();
    }
    if (unseen + beyond > 0) {
      metrics.itemsExpired(unseen + beyond);
      LOG.info(
          "Released the model rows of {} items{}{}; {} items remain",
          unseen + beyond,
          unseen > 0 ? " (%d unseen for %,d ms)".formatted(unseen, settings.itemExpiryMs()) : "",
          beyond > 0
              ? " (%d beyond the %,d most recently seen)".formatted(beyond, settings.maxItems())
              : "",
          model.vocabulary().size());
    }
  }

  /** Publishes once the publish interval has passed since the last, if anything new was trained. */
  private void publishIfDue(long nowNanos) throws IOException {
    if (nowNanos >= nextPublish
        && !unpublishedTimestamps.isEmpty()
        && model.updateCount() > publishedThrough) {
      publish();
      nextPublish = nowNanos + sync.publishIntervalMs() * 1_000_000;
      metrics.lag(feed.lag(next));
    }
  }

  /** Publishes the model as a new version; freshness is measured for every example in it. */
  private void publish() throws IOException {
    ModelVersion version =
        new ModelVersion(versionName(), System.currentTimeMillis(), trainedThroughTimestamp);
    long publishedAt = publisher.publish(model, version);
    publishedThrough = model.updateCount();
    for (long timestamp : unpublishedTimestamps) {
      metrics.freshness(publishedAt - timestamp);
    }
    unpublishedTimestamps.clear();
    if (unpublishedSinceMs > 0) {
      freshness.published(publishedAt - unpublishedSinceMs);
      unpublishedSinceMs = 0;
    }
  }

  /**
   * {@code m-<updates>} for the trainer's own lineage; {@code v3+<updates since adoption>} once it
   * continues registry version v3, so that recommendations show which base they derive from.
   */
  private String versionName() {
    return base == null
        ? "m-" + model.updateCount()
        : ModelUpdates.lineageName(base, model.updateCount() - baseUpdates);
  }

  private String position() {
    return new TrainerPosition(
            new TrainedOffsets(next), base, baseUpdates, promotions.safePositions())
        .format();
  }

  /**
   * Continues training from a registry version rolled out by {@code models promote} or {@code
   * rollback}. The trainer keeps its own offsets: the version's data position belongs to the run
   * that made it, and examples the trainer has read since belong to the live stream. Examples the
   * replaced model trained on are not retrained; promoting means choosing the other model. A
   * version that is refused ({@link PromotedModels}) leaves the trainer on its own model.
   */
  private void adopt(ModelUpdates.Assembled promoted) throws IOException {
    var loaded = PromotedModels.load(promoted, modelSettings.sequenceLength(), versionName());
    if (loaded.isEmpty()) {
      return;
    }
    String name = promoted.version().version();
    NextItemModel replaced = model;
    model = loaded.get();
    lineage++;
    // Serving now holds the promoted version, not what the trainer published: snapshot next.
    publisher.restartLineage();
    base = name;
    baseUpdates = model.updateCount();
    // Serving holds the promoted version itself: the next to publish is the first update after it.
    publishedThrough = baseUpdates;
    model.setDataPosition(position());
    replaced.close();
    // At once, so that a restart continues the adopted lineage and does not adopt it again.
    checkpoint();
    LOG.info(
        "Trainer continues promoted model {} ({} examples in its history) from offsets {}",
        name,
        model.examplesTrained(),
        new TrainedOffsets(next).format());
  }

  private void checkpoint() throws IOException {
    model.setDataPosition(position());
    checkpoints.save(model);
  }

  /** Examples this model has trained on over its whole life (checkpoints included). */
  public long examplesTrained() {
    return model.examplesTrained();
  }

  /** Training examples read and trained on (or skipped as untrainable) by this process. */
  public long consumed() {
    return consumed.get();
  }

  /** The error that stopped the trainer, or null while it runs. */
  public Exception failure() {
    return failure;
  }

  /** Stops training and writes a final checkpoint of what was trained. */
  @Override
  public void close() {
    stop(true);
  }

  /**
   * Stops training without a checkpoint: another trainer may already be training from the
   * checkpoint directory, and what this one trained since is lost to it by design.
   */
  public void abandon() {
    stop(false);
  }

  private void stop(boolean checkpointAtEnd) {
    closed = true;
    feed.wakeup();
    try {
      thread.join(60_000);
      if (failure == null && checkpointAtEnd) {
        checkpoint();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the trainer's final checkpoint in " + checkpoints.dir(), e);
    } finally {
      feed.close();
      publisher.close();
      promotions.close();
      reports.close();
      model.close();
    }
  }
}
