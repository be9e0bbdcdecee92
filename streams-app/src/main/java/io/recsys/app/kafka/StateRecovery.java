package io.recsys.app.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in one line how an instance got its state back at start-up: how many changelog records it
 * restored into how many stores, and how long until the pipeline ran.
 *
 * <p>After an exactly-once instance was killed, its local stores may hold writes of transactions
 * that were never committed, so they must be discarded and restored from the changelogs. Kafka
 * Streams would find that out store by store and report it as an ERROR with a stack trace per task
 * ({@link CorruptedTaskFilter} silences those where it still happens). This tells it apart from a
 * normal start: a clean close leaves a marker file in the application's state directory; a start
 * that finds local state without the marker follows an unclean stop: it discards that state first
 * ({@link #discardUncommittedState()}), and its line is a WARN that says so. Global stores count
 * too: Kafka Streams 4.3 marks a RocksDB store open while it runs, and under exactly-once a global
 * store found still marked open kills the global thread, and with it the instance (seen in {@code
 * bin/bench-failover}: the second restart after a SIGKILL died on the co-occurrence neighbours'
 * global store).
 */
public final class StateRecovery implements StateRestoreListener, KafkaStreams.StateListener {
  private static final Logger LOG = LoggerFactory.getLogger(StateRecovery.class);
  static final String CLEAN_MARKER = "recsys-clean-shutdown";
  private static final Pattern TASK_DIRECTORY = Pattern.compile("\\d+_\\d+");
  // Kafka Streams' directory of the global stores, beside the task directories.
  private static final String GLOBAL_DIRECTORY = "global";

  private final Path applicationDir;
  private final boolean uncleanExactlyOnce;
  private final Set<TopicPartition> restored = ConcurrentHashMap.newKeySet();
  private final Set<String> stores = ConcurrentHashMap.newKeySet();
  private final AtomicLong records = new AtomicLong();
  private volatile long startedNanos = System.nanoTime();
  private volatile boolean reported;

  private StateRecovery(Path applicationDir, boolean uncleanExactlyOnce) {
    this.applicationDir = applicationDir;
    this.uncleanExactlyOnce = uncleanExactlyOnce;
  }

  /**
   * Reads (and removes) the marker of the last clean close.
   *
   * @param applicationDir {@code <state.dir>/<application.id>}
   */
  public static StateRecovery open(Path applicationDir, boolean exactlyOnce) {
    try {
      boolean clean = Files.deleteIfExists(applicationDir.resolve(CLEAN_MARKER));
      return new StateRecovery(
          applicationDir, exactlyOnce && !clean && hasLocalState(applicationDir));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the state directory " + applicationDir, e);
    }
  }

  private static boolean hasLocalState(Path applicationDir) throws IOException {
    if (!Files.isDirectory(applicationDir)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(applicationDir)) {
      return entries.anyMatch(StateRecovery::isStoreDirectory);
    }
  }

  private static boolean isStoreDirectory(Path entry) {
    String name = entry.getFileName().toString();
    return Files.isDirectory(entry)
        && (TASK_DIRECTORY.matcher(name).matches() || name.equals(GLOBAL_DIRECTORY));
  }

  /** Whether the last run of this state directory stopped without closing, under exactly-once. */
  public boolean followsUncleanStop() {
    return uncleanExactlyOnce;
  }

  /**
   * After an unclean exactly-once stop, deletes the tasks' and the global stores' local state
   * before Kafka Streams is created: it would open every task store, find no committed offsets, and
   * wipe it anyway (logging each), and a global store left marked open stops the instance. Global
   * stores are read again from their topics (compacted and small). Keeps the process id file, so
   * that this instance's transactional ids, which fence the producers of its dead run, stay the
   * same. Does nothing after a clean stop.
   */
  public void discardUncommittedState() {
    if (!uncleanExactlyOnce) {
      return;
    }
    try (Stream<Path> entries = Files.list(applicationDir)) {
      for (Path store : entries.filter(StateRecovery::isStoreDirectory).toList()) {
        Utils.delete(store.toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot discard the uncommitted state in " + applicationDir, e);
    }
  }

  /** Call as Kafka Streams starts: the time to running is counted from here. */
  public void starting() {
    startedNanos = System.nanoTime();
  }

  /** Call after Kafka Streams closed completely: the next start knows its state is committed. */
  public void closedCleanly() {
    try {
      Files.createDirectories(applicationDir);
      Files.writeString(applicationDir.resolve(CLEAN_MARKER), "closed cleanly\n");
    } catch (IOException e) {
      LOG.warn(
          "Cannot mark the clean close in {}: the next start will take it for an unclean one",
          applicationDir,
          e);
    }
  }

  @Override
  public void onRestoreStart(
      TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    restored.add(partition);
    stores.add(storeName);
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    records.addAndGet(numRestored);
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {}

  @Override
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    if (newState != KafkaStreams.State.RUNNING || reported) {
      return;
    }
    reported = true;
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    if (uncleanExactlyOnce) {
      LOG.warn(
          "The last run stopped without closing (killed or crashed) under exactly-once, so its"
              + " local state could hold uncommitted writes: it was discarded and Kafka Streams"
              + " restored {} records of {} stores ({} changelog partitions) from the changelogs;"
              + " running {} s after start. Nothing committed was lost.",
          records.get(),
          stores.size(),
          restored.size(),
          String.format(java.util.Locale.ROOT, "%.1f", seconds));
    } else if (records.get() > 0) {
      LOG.info(
          "Restored {} records of {} stores ({} changelog partitions); running {} s after start",
          records.get(),
          stores.size(),
          restored.size(),
          String.format(java.util.Locale.ROOT, "%.1f", seconds));
    }
  }
}
