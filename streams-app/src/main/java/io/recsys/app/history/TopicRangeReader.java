package io.recsys.app.history;

import io.recsys.app.kafka.Consumers;
import io.recsys.app.registry.Provenance.PartitionRange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every record of a topic whose timestamp falls in a {@link TimeRange}, once, with a plain
 * consumer that has no group id: it commits nothing, joins no group and so cannot disturb the live
 * application's consumers or their offsets.
 *
 * <p>Per partition, reading starts at the earliest offset whose timestamp is at or after {@code
 * from} (the beginning when open; no earlier offset can hold a record in range) and ends at the end
 * offset captured before reading (the last stable offset: the consumer reads committed records
 * only, so aborted transactions are never trained on). {@code to} is applied to each record's
 * timestamp rather than turned into an end offset, because producers may set timestamps out of
 * order: a record stamped before {@code to} can follow one stamped after it. Records at or after
 * {@code to} are counted and skipped, so what reaches the handler is exactly the records in range,
 * at the cost of scanning the tail of the log when {@code to} lies in the past.
 */
public final class TopicRangeReader {
  private static final Logger LOG = LoggerFactory.getLogger(TopicRangeReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final long PROGRESS_INTERVAL_NS = 5_000_000_000L;

  /** Receives each record in range, in offset order within a partition. */
  @FunctionalInterface
  public interface RecordHandler {
    void accept(ConsumerRecord<byte[], byte[]> record) throws IOException;
  }

  /**
   * What a read covered.
   *
   * @param offsets per partition, the offsets scanned: from inclusive, to exclusive
   * @param records records handed to the handler: those scanned whose timestamps are in range
   * @param outOfRange records scanned whose timestamps fell outside the range (at or after {@code
   *     to}), skipped
   */
  public record ReadSummary(
      String topic, List<PartitionRange> offsets, long records, long outOfRange, double seconds) {
    public ReadSummary {
      offsets = List.copyOf(offsets);
    }

    public double recordsPerSecond() {
      return seconds > 0 ? records / seconds : 0;
    }
  }

  private TopicRangeReader() {}

  /**
   * The consumer configuration for a retrain read, derived from the application's: connection and
   * security settings kept, any group id dropped.
   */
  static Map<String, Object> consumerConfig(Map<String, ?> appConfig) {
    Map<String, Object> c = Consumers.standaloneConfig(appConfig);
    // Offsets are always sought explicitly; a range deleted by retention mid-read must fail.
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    c.put(
        ConsumerConfig.CLIENT_ID_CONFIG, "recsys-history-reader-" + ProcessHandle.current().pid());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return c;
  }

  /**
   * Reads {@code topic} over {@code range}, handing each record in range to {@code handler}.
   *
   * @throws IllegalArgumentException when the topic does not exist
   */
  public static ReadSummary read(
      Map<String, ?> appConfig, String topic, TimeRange range, RecordHandler handler)
      throws IOException {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(appConfig))) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic '" + topic + "' does not exist");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      partitions.sort(Comparator.comparingInt(TopicPartition::partition));
      // Assigned before the offset look-ups: a read_committed consumer only tracks the last
      // stable offset of partitions it owns.
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = Map.copyOf(consumer.endOffsets(partitions));
      Map<TopicPartition, Long> starts =
          range.fromMs() == null
              ? new HashMap<>(consumer.beginningOffsets(partitions))
              : offsetsAt(consumer, partitions, range.fromMs(), ends);
      List<PartitionRange> offsets = new ArrayList<>();
      Set<TopicPartition> remaining = new HashSet<>();
      for (TopicPartition tp : partitions) {
        long from = Math.min(starts.get(tp), ends.get(tp));
        offsets.add(new PartitionRange(topic, tp.partition(), from, ends.get(tp)));
        if (from < ends.get(tp)) {
          remaining.add(tp);
        }
      }
      LOG.info("Reading {} {} at offsets {}", topic, range, offsets);
      consumer.assign(remaining);
      for (PartitionRange r : offsets) {
        TopicPartition tp = new TopicPartition(topic, r.partition());
        if (remaining.contains(tp)) {
          consumer.seek(tp, r.from());
        }
      }
      long started = System.nanoTime();
      long lastReport = started;
      long records = 0;
      AtomicLong outOfRange = new AtomicLong();
      while (!remaining.isEmpty()) {
        ConsumerRecords<byte[], byte[]> batch;
        try {
          batch = consumer.poll(POLL);
        } catch (OffsetOutOfRangeException e) {
          throw new IllegalStateException(
              "records of "
                  + e.offsetOutOfRangePartitions()
                  + " were deleted (retention) while they were being read; the range is no longer"
                  + " complete, retry (with a later --from)",
              e);
        }
        for (TopicPartition tp : batch.partitions()) {
          long end = ends.get(tp);
          for (ConsumerRecord<byte[], byte[]> record : batch.records(tp)) {
            if (record.offset() >= end) {
              break;
            }
            if (range.contains(record.timestamp())) {
              handler.accept(record);
              records++;
            } else {
              outOfRange.incrementAndGet();
            }
          }
        }
        List<TopicPartition> done = new ArrayList<>();
        for (TopicPartition tp : remaining) {
          if (consumer.position(tp) >= ends.get(tp)) {
            done.add(tp);
          }
        }
        if (!done.isEmpty()) {
          done.forEach(remaining::remove);
          consumer.pause(done);
        }
        long now = System.nanoTime();
        if (now - lastReport >= PROGRESS_INTERVAL_NS) {
          lastReport = now;
          double s = (now - started) / 1e9;
          LOG.info("read {} records of {} ({} records/s)", records, topic, Math.round(records / s));
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      return new ReadSummary(topic, offsets, records, outOfRange.get(), seconds);
    }
  }

  /**
   * Per partition, the earliest offset with a timestamp at or after {@code timestampMs}: every
   * earlier offset holds an earlier timestamp.
   */
  private static Map<TopicPartition, Long> offsetsAt(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      long timestampMs,
      Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(tp -> query.put(tp, timestampMs));
    Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndTimestamp at = found.get(tp);
      // No record at or after the time: the partition's range starts (or ends) at its end.
      offsets.put(tp, at == null ? ends.get(tp) : at.offset());
    }
    return offsets;
  }
}
