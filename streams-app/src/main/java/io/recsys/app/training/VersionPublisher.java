package io.recsys.app.training;

import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.model.ModelDelta;
import io.recsys.model.NextItemModel;
import io.recsys.model.PublishedWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the trainer's model versions to {@code model-updates}: a delta on the version published
 * before it, or a full snapshot when none was published since the trainer started or adopted a
 * model ({@link #restartLineage()}), when the snapshot interval has passed, or when the delta would
 * be more than half a snapshot's size. A large model's snapshots come further apart than the
 * interval, so that they stay within a byte rate ({@link Settings#snapshotIntervalMs(long)}). Used
 * by the trainer's thread alone.
 *
 * <p>Under exactly-once every version is one transaction (readers see all of its chunks or none),
 * under a transactional id that every trainer of the deployment shares: a trainer that takes over
 * fences the one it replaced, whose next publication then fails instead of racing it.
 */
final class VersionPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VersionPublisher.class);

  /**
   * A delta larger than this share of the last snapshot is published as a snapshot instead: for a
   * few more bytes it resets every reader's chain. With a full softmax on a small catalogue every
   * output row moves on every step, and this is what keeps deltas from costing more than they save.
   */
  private static final double MAX_DELTA_SHARE = 0.5;

  /** How versions are published; see the {@code recsys.model.*} model-sync settings. */
  record Settings(
      String topic,
      long snapshotIntervalMs,
      long snapshotMaxBytesPerSecond,
      double deltaTolerance,
      boolean quantizedDeltas) {

    /** How long after a snapshot of {@code bytes} the next is due. */
    long snapshotIntervalMs(long bytes) {
      long byRate = snapshotMaxBytesPerSecond > 0 ? bytes * 1000 / snapshotMaxBytesPerSecond : 0;
      return Math.max(snapshotIntervalMs, byRate);
    }
  }

  private final Settings settings;
  private final Path workDir;
  private final TrainerMetrics metrics;
  private final KafkaProducer<String, byte[]> producer;
  private final boolean transactional;

  /**
   * What serving instances hold after the last publication, to make the next delta from; null until
   * the first snapshot and after {@link #restartLineage()}, when the next is a snapshot.
   */
  private PublishedWeights published;

  private String publishedVersion;
  private long nextSnapshot;
  private long lastSnapshotBytes;

  /**
   * @param workDir where a snapshot is written before it is sent
   * @param transactionalId the id every trainer of the deployment publishes under, or null to
   *     publish without transactions
   */
  VersionPublisher(
      Map<String, Object> clientConfig,
      Settings settings,
      Path workDir,
      TrainerMetrics metrics,
      String transactionalId) {
    this.settings = settings;
    this.workDir = workDir;
    this.metrics = metrics;
    Map<String, Object> config = ClientConfigs.subset(clientConfig, ProducerConfig.configNames());
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.transactional = transactionalId != null;
    if (transactional) {
      config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    }
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    if (transactional) {
      try {
        // Fences a trainer that published under this id before, and aborts what it left open.
        producer.initTransactions();
      } catch (RuntimeException e) {
        producer.close();
        throw e;
      }
    }
  }

  /** Serving will hold a version the trainer did not publish: the next publication snapshots. */
  void restartLineage() {
    published = null;
  }

  /**
   * Publishes {@code model} as {@code version} and waits until the broker has it.
   *
   * @return when it was published (epoch ms)
   */
  long publish(NextItemModel model, ModelVersion version) throws IOException {
    long start = System.currentTimeMillis();
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
      Path file = workDir.resolve("publish.tmp");
      // Serving never trains: weights and vocabulary only, a third of a full checkpoint.
      model.saveForServing(file);
      bytes = Files.readAllBytes(file);
      records = ModelUpdates.records(settings.topic(), version, bytes);
      published =
          settings.snapshotIntervalMs() > 0
              ? PublishedWeights.of(model, settings.deltaTolerance(), settings.quantizedDeltas())
              : null;
      nextSnapshot = System.nanoTime() + settings.snapshotIntervalMs(bytes.length) * 1_000_000;
      lastSnapshotBytes = bytes.length;
    } else {
      records = ModelUpdates.deltaRecords(settings.topic(), version, publishedVersion, bytes);
    }
    if (transactional) {
      producer.beginTransaction();
    }
    for (var record : records) {
      producer.send(record);
    }
    if (transactional) {
      producer.commitTransaction();
    } else {
      producer.flush();
    }
    publishedVersion = version.version();
    long publishedAt = System.currentTimeMillis();
    metrics.published(delta != null, bytes.length);
    LOG.debug(
        "Published {} as a {} ({} bytes{}) in {} ms",
        version.version(),
        delta == null ? "snapshot" : "delta",
        bytes.length,
        delta == null ? "" : ", " + delta.changedRows() + " of " + published.rows() + " rows",
        publishedAt - start);
    return publishedAt;
  }

  @Override
  public void close() {
    producer.close();
  }
}
