package io.recsys.app.training;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Hands out records of several partitions in timestamp order, the order a single log would have
 * given them. A consumer returns partitions in fetch-sized runs, one partition at a time; training
 * on such runs feeds the optimiser one slice of the users after another, which an online model with
 * a high learning rate follows too eagerly.
 *
 * <p>A partition with nothing buffered holds the merge back while it may still have older records
 * to come (it is not caught up), but never longer than {@code maxHoldNanos}, like Kafka Streams'
 * {@code max.task.idle.ms}. Not thread-safe.
 */
final class TimestampMerge<K, V> {
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<K, V>>> queues = new HashMap<>();
  private final long maxHoldNanos;
  private long holdingSince = -1;

  TimestampMerge(Iterable<TopicPartition> partitions, long maxHoldNanos) {
    partitions.forEach(partition -> queues.put(partition, new ArrayDeque<>()));
    this.maxHoldNanos = maxHoldNanos;
  }

  void add(ConsumerRecord<K, V> record) {
    queues
        .computeIfAbsent(
            new TopicPartition(record.topic(), record.partition()), p -> new ArrayDeque<>())
        .add(record);
  }

  /**
   * The buffered record with the smallest timestamp, or null when there is none or a partition that
   * may still deliver an older one is being waited for.
   *
   * @param caughtUp whether a partition has no more records to read right now
   * @param nowNanos the current {@link System#nanoTime()}
   */
  ConsumerRecord<K, V> next(Predicate<TopicPartition> caughtUp, long nowNanos) {
    ArrayDeque<ConsumerRecord<K, V>> oldest = null;
    boolean waiting = false;
    for (var entry : queues.entrySet()) {
      ArrayDeque<ConsumerRecord<K, V>> queue = entry.getValue();
      if (queue.isEmpty()) {
        waiting |= !caughtUp.test(entry.getKey());
      } else if (oldest == null || queue.peek().timestamp() < oldest.peek().timestamp()) {
        oldest = queue;
      }
    }
    if (oldest == null) {
      holdingSince = -1;
      return null;
    }
    if (waiting) {
      if (holdingSince < 0) {
        holdingSince = nowNanos;
      }
      if (nowNanos - holdingSince < maxHoldNanos) {
        return null;
      }
    } else {
      holdingSince = -1;
    }
    return oldest.poll();
  }
}
