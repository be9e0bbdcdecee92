package io.recsys.app.training;

import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.kafka.Consumers;
import io.recsys.app.config.RecsysSettings;
import io.recsys.model.CarriedStates;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.model.ModelDelta;
import io.recsys.model.NextItemModel;
import io.recsys.model.PublishedWeights;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.TrainingStats;
import io.recsys.model.VocabularyConfig;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.TrainingExampleRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online trainer: reads {@code training-examples} in micro-batches bounded by size and time,
 * folds them into the model, publishes model versions to {@code model-updates} and checkpoints the
 * model together with the offsets it has trained through.
 *
 * <p>Exactly-once training across restarts: the checkpoint holds the model as it was after
 * training on everything before its offsets and nothing after, and a restarted trainer loads it
 * and seeks to those offsets. Examples trained after the last checkpoint are trained again, but on
 * the restored model, so each example is in the model's history exactly once. The trainer uses no
 * consumer group; its offsets live in its checkpoint.
 *
 * <p>Runs on its own thread. Closing order: stop the loop, write a final checkpoint, close the
 * consumer and producer, then the model.
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  static final String CHECKPOINT_FILE = "checkpoint.zip";
  /**
   * A delta larger than this share of the last snapshot is published as a snapshot instead: for
   * a few more bytes it resets every reader's chain. With a full softmax on a small catalogue
   * every output row moves on every step, and this is what keeps deltas from costing more than
   * they save.
   */
  private static final double MAX_DELTA_SHARE = 0.5;

  private final RecsysSettings settings;
  private final Path dir;
  private final TrainerMetrics metrics;
  private final KafkaConsumer<String, TrainingExampleRecord> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final List<TopicPartition> partitions;
  /** Replaced when a registry version is adopted; read by other threads for figures only. */
  private volatile NextItemModel model;
  /** The registry version the model continues (null: its own lineage), and its updates then. */
  private String base;
  private long baseUpdates;
  private final PromotionWatcher promotions;
  private final Map<Integer, Long> next = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile Exception failure;
  private long trainedThroughTimestamp;
  private final List<Long> unpublishedTimestamps = new ArrayList<>();
  private final AtomicLong consumed = new AtomicLong();
  /**
   * What serving instances hold after the last publication, to make the next delta from; null
   * until the first snapshot and after adopting a model, when the next publication is a snapshot.
   */
  private PublishedWeights published;
  private String publishedVersion;
  private long nextSnapshot;
  private long lastSnapshotBytes;
  /**
   * Each user's LSTM state before the newest items of their last example, so that the next
   * example steps it once instead of re-reading the window; {@link #lineage} changes when the
   * model is replaced.
   */
  private final CarriedStates carried;
  private long lineage;

  /**
   * Loads the checkpoint in {@code dir} if there is one (else starts a new model) and starts
   * training.
   */
  public Trainer(
      RecsysSettings settings, Map<String, Object> clientConfig, Path dir, TrainerMetrics metrics)
      throws IOException {
    this.settings = settings;
    this.dir = dir;
    this.metrics = metrics;
    Files.createDirectories(dir);
    Path checkpoint = dir.resolve(CHECKPOINT_FILE);
    this.model =
        Files.exists(checkpoint)
            ? NextItemModel.load(checkpoint)
            : NextItemModel.create(
                settings.learning().modelConfig(),
                VocabularyConfig.defaults());
    TrainerPosition position = TrainerPosition.parse(model.dataPosition());
    position.offsets().next().forEach(next::put);
    this.base = position.base();
    this.baseUpdates = position.baseUpdates();
    this.carried =
        new CarriedStates(
            settings.learning().trainerStateSteps(), settings.learning().trainerStateUsers());
    LOG.info(
        "Trainer {} at {} ({} examples trained so far)",
        Files.exists(checkpoint) ? "resumes from its checkpoint" : "starts a new model",
        next.isEmpty() ? "the beginning" : model.dataPosition(),
        model.examplesTrained());

    this.consumer =
        new KafkaConsumer<>(
            clientSubset(clientConfig, ConsumerConfig.configNames(), consumerOverrides()),
            new StringDeserializer(),
            SchemaSerdes.trainingExample().deserializer());
    this.producer =
        new KafkaProducer<>(
            clientSubset(clientConfig, ProducerConfig.configNames(), producerOverrides()),
            new StringSerializer(),
            new ByteArraySerializer());
    this.partitions = Consumers.assignAll(consumer, settings.topics().trainingExamples());
    for (TopicPartition partition : partitions) {
      Long offset = next.get(partition.partition());
      if (offset == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, offset);
      }
    }
    PromotionWatcher watcher = null;
    try {
      watcher =
          new PromotionWatcher(
              clientConfig, settings.topics().modelUpdates(), position.promotions());
      this.promotions = watcher;
      // Promotions published while the trainer was down are adopted before it trains again.
      var promoted = promotions.catchUp();
      if (promoted.isPresent()) {
        adopt(promoted.get());
      }
    } catch (IOException | RuntimeException e) {
      // No thread runs yet and close() will not be called: release the clients and the model.
      if (watcher != null) {
        watcher.close();
      }
      consumer.close();
      producer.close();
      model.close();
      throw e;
    }
    this.thread = new Thread(this::loop, "recsys-trainer");
    thread.setDaemon(true);
    thread.start();
  }

  private static Map<String, Object> consumerOverrides() {
    return Map.of(
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
  }

  private static Map<String, Object> producerOverrides() {
    return Map.of(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.ACKS_CONFIG, "all");
  }

  private static Map<String, Object> clientSubset(
      Map<String, Object> clientConfig, Set<String> names, Map<String, Object> overrides) {
    Map<String, Object> config = ClientConfigs.subset(clientConfig, names);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.putAll(overrides);
    return config;
  }

  private void loop() {
    RecsysSettings.Learning learning = settings.learning();
    List<ConsumerRecord<String, TrainingExampleRecord>> batch = new ArrayList<>();
    long batchStarted = System.nanoTime();
    long nextPublish = System.nanoTime();
    long nextCheckpoint = System.nanoTime() + learning.checkpointIntervalMs() * 1_000_000;
    try {
      TimestampMerge<String, TrainingExampleRecord> merge =
          new TimestampMerge<>(partitions, learning.batchWaitMs() * 1_000_000);
      while (!closed) {
        for (var record : consumer.poll(Duration.ofMillis(Math.min(50, learning.batchWaitMs())))) {
          merge.add(record);
        }
        ConsumerRecord<String, TrainingExampleRecord> record;
        while ((record = merge.next(this::caughtUp, System.nanoTime())) != null) {
          if (batch.isEmpty()) {
            batchStarted = System.nanoTime();
          }
          batch.add(record);
          if (batch.size() >= learning.batchSize()) {
            train(batch);
            batch.clear();
          }
        }
        long now = System.nanoTime();
        if (!batch.isEmpty() && now - batchStarted >= learning.batchWaitMs() * 1_000_000) {
          train(batch);
          batch.clear();
        }
        // Between micro-batches: the batch in hand has not moved the offsets, so it is trained
        // on the adopted model.
        var promoted = promotions.poll(Duration.ZERO);
        if (promoted.isPresent()) {
          adopt(promoted.get());
        }
        if (now >= nextPublish && !unpublishedTimestamps.isEmpty()) {
          publish();
          nextPublish = now + learning.publishIntervalMs() * 1_000_000;
          updateLag();
        }
        if (now >= nextCheckpoint) {
          checkpoint();
          nextCheckpoint = now + learning.checkpointIntervalMs() * 1_000_000;
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop; the batch in hand is not trained and not checkpointed.
    } catch (Exception e) {
      failure = e;
      LOG.error("Trainer stopped; serving keeps the last published model", e);
    }
  }

  private void train(List<ConsumerRecord<String, TrainingExampleRecord>> batch) {
    List<TrainingExample> examples = new ArrayList<>(batch.size());
    boolean carry = settings.learning().trainerStateSteps() > 0;
    List<String> users = new ArrayList<>(batch.size());
    List<List<String>> prefixes = new ArrayList<>(batch.size());
    int backprop = model.config().backpropSteps();
    for (var record : batch) {
      TrainingExampleRecord value = record.value();
      List<String> sequence = settings.learning().recent(value.sequence());
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
    TrainingStats stats =
        MicroBatchStep.train(model, examples, starts, settings.learning().batchSize());
    consumed.addAndGet(batch.size());
    model.setDataPosition(position());
    metrics.trained(examples.size(), stats.meanLoss());
  }

  /**
   * Publishes the model as a new version: a delta on the version published before it, or a full
   * snapshot when none was published since the trainer started or adopted a model, when the
   * snapshot interval has passed, or when the delta would be more than half a snapshot's size.
   * Freshness is measured for every example in it.
   */
  private void publish() throws IOException {
    long start = System.currentTimeMillis();
    RecsysSettings.Learning learning = settings.learning();
    ModelVersion version =
        new ModelVersion(versionName(), System.currentTimeMillis(), trainedThroughTimestamp);
    String topic = settings.topics().modelUpdates();
    ModelDelta delta = null;
    byte[] bytes = null;
    if (published != null && System.nanoTime() < nextSnapshot) {
      delta = published.advanceTo(model);
      bytes = delta.toBytes();
      if (bytes.length > MAX_DELTA_SHARE * lastSnapshotBytes) {
        delta = null;
      }
    }
    List<ProducerRecord<String, byte[]>> records;
    if (delta == null) {
      Path file = dir.resolve("publish.tmp");
      // Serving never trains: weights and vocabulary only, a third of a full checkpoint.
      model.saveForServing(file);
      bytes = Files.readAllBytes(file);
      records = ModelUpdates.records(topic, version, bytes);
      published =
          learning.snapshotIntervalMs() > 0
              ? PublishedWeights.of(model, learning.deltaTolerance(), learning.quantizedDeltas())
              : null;
      nextSnapshot = System.nanoTime() + learning.snapshotIntervalMs() * 1_000_000;
      lastSnapshotBytes = bytes.length;
    } else {
      records = ModelUpdates.deltaRecords(topic, version, publishedVersion, bytes);
    }
    for (var record : records) {
      producer.send(record);
    }
    producer.flush();
    publishedVersion = version.version();
    long publishedAt = System.currentTimeMillis();
    for (long timestamp : unpublishedTimestamps) {
      metrics.freshness(publishedAt - timestamp);
    }
    unpublishedTimestamps.clear();
    metrics.published(delta != null, bytes.length);
    LOG.debug(
        "Published {} as a {} ({} bytes{}) in {} ms",
        version.version(),
        delta == null ? "snapshot" : "delta",
        bytes.length,
        delta == null ? "" : ", " + delta.changedRows() + " of " + published.rows() + " rows",
        publishedAt - start);
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
   * version that does not load is refused and the trainer continues its own model.
   */
  private void adopt(ModelUpdates.Assembled promoted) throws IOException {
    String name = promoted.version().version();
    if (!name.matches("v[1-9][0-9]*")) {
      // Registry versions are v<N>; anything else is not ours to continue or to name after.
      LOG.error("Refused promoted model '{}': not a registry version name (v<N>)", name);
      return;
    }
    NextItemModel loaded;
    try {
      loaded = NextItemModel.load(promoted.payload(), "promoted model " + name);
    } catch (IOException | RuntimeException e) {
      LOG.error("Refused promoted model {}: it does not load; training continues {}", name, versionName(), e);
      return;
    }
    int length = loaded.config().sequenceLength();
    if (length != settings.learning().sequenceLength()) {
      LOG.error(
          "Refused promoted model {}: its sequence length is {} but recsys.model.sequence.length"
              + " is {}; training continues {}",
          name, length, settings.learning().sequenceLength(), versionName());
      loaded.close();
      return;
    }
    NextItemModel replaced = model;
    model = loaded;
    lineage++;
    // Serving now holds the promoted version, not what the trainer published: snapshot next.
    published = null;
    base = name;
    baseUpdates = loaded.updateCount();
    model.setDataPosition(position());
    replaced.close();
    // At once, so that a restart continues the adopted lineage and does not adopt it again.
    checkpoint();
    LOG.info(
        "Trainer continues promoted model {} ({} examples in its history) from offsets {}",
        name, model.examplesTrained(), new TrainedOffsets(next).format());
  }

  private void checkpoint() throws IOException {
    model.setDataPosition(position());
    Path temporary = dir.resolve(CHECKPOINT_FILE + ".tmp");
    model.save(temporary);
    // Atomic rename: a crash leaves either the old or the new checkpoint, never half of one.
    Files.move(
        temporary,
        dir.resolve(CHECKPOINT_FILE),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether the consumer has read everything the partition holds right now. */
  private boolean caughtUp(TopicPartition partition) {
    OptionalLong lag = consumer.currentLag(partition);
    return lag.isPresent() && lag.getAsLong() == 0;
  }

  private void updateLag() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long lag = 0;
    for (var entry : ends.entrySet()) {
      lag += Math.max(0, entry.getValue() - next.getOrDefault(entry.getKey().partition(), 0L));
    }
    metrics.lag(lag);
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
    closed = true;
    consumer.wakeup();
    try {
      thread.join(60_000);
      if (failure == null) {
        checkpoint();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the trainer's final checkpoint in " + dir, e);
    } finally {
      consumer.close();
      producer.close();
      promotions.close();
      model.close();
    }
  }
}
