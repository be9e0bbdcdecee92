package io.recsys.app.training;

import io.recsys.app.kafka.Consumers;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.modelsync.ModelUpdates.Assembled;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's view of {@code model-updates}: finds registry versions rolled out by {@code models
 * promote} / {@code rollback} (header {@code recsys.model.origin=registry}) and skips the trainer's
 * own publications.
 *
 * <p>Keeps a safe resume position per partition: past every record it has fully dealt with, but
 * never past the first chunk of a registry version still being assembled, so that a trainer
 * restarted from that position reads the whole version again. Used by one thread only.
 */
final class PromotionWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PromotionWatcher.class);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaConsumer<String, byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final ModelUpdates.Assembler assembler = new ModelUpdates.Assembler();
  private final Map<Integer, Long> safe = new HashMap<>();
  private final Map<Integer, Long> partialStart = new HashMap<>();

  /**
   * @param start where to resume per partition (a checkpoint's); partitions without one start at
   *     the end: a new model has nothing to continue, so only promotions from now on concern it
   */
  PromotionWatcher(Map<String, Object> clientConfig, String topic, Map<Integer, Long> start) {
    Map<String, Object> config = ModelUpdates.consumerConfig(clientConfig);
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.partitions = Consumers.assignAll(consumer, topic);
    for (TopicPartition partition : partitions) {
      Long offset = start.get(partition.partition());
      if (offset == null) {
        consumer.seekToEnd(List.of(partition));
      } else {
        consumer.seek(partition, offset);
      }
      safe.put(partition.partition(), consumer.position(partition));
    }
  }

  /**
   * Reads up to the topic's current end; returns the newest registry version completed on the way
   * (promotions published while the trainer was down).
   */
  Optional<Assembled> catchUp() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
    Optional<Assembled> newest = Optional.empty();
    while (!reached(ends) && System.nanoTime() < deadline) {
      Optional<Assembled> found = poll(Duration.ofMillis(200));
      if (found.isPresent()) {
        newest = found;
      }
    }
    return newest;
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    for (var end : ends.entrySet()) {
      if (consumer.position(end.getKey()) < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The newest registry version completed by the records available now, if any. */
  Optional<Assembled> poll(Duration timeout) {
    Optional<Assembled> newest = Optional.empty();
    for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
      int partition = record.partition();
      if (!ModelUpdates.ORIGIN_REGISTRY.equals(ModelUpdates.origin(record))) {
        if (!partialStart.containsKey(partition)) {
          safe.put(partition, record.offset() + 1);
        }
        continue;
      }
      Optional<Assembled> complete;
      try {
        if ("0".equals(header(record, ModelUpdates.CHUNK))) {
          partialStart.put(partition, record.offset());
        }
        complete = assembler.add(record);
      } catch (IllegalArgumentException e) {
        LOG.error(
            "Skipped a malformed registry record at offset {}: {}",
            record.offset(),
            e.getMessage());
        continue;
      }
      if (complete.isPresent()) {
        newest = complete;
        partialStart.remove(partition);
        safe.put(partition, record.offset() + 1);
      }
    }
    return newest;
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null
        ? null
        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Where a restarted trainer should resume looking, per partition. */
  Map<Integer, Long> safePositions() {
    Map<Integer, Long> positions = new HashMap<>(safe);
    partialStart.forEach(positions::put);
    return positions;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
