package io.recsys.app.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and waits until they are usable. The admin client's {@code createTopics} future
 * completes when the controller has accepted the topic, which can be before the broker knows the
 * partition leaders; a producer started at that moment gets {@code UNKNOWN_TOPIC_OR_PARTITION}
 * warnings and a consumer may miss its first assignment. Waiting for leaders here removes that race
 * from tests and from the demo.
 */
public final class TopicCreation {
  private static final long POLL_INTERVAL_MS = 50;

  private TopicCreation() {}

  /**
   * Creates whichever of {@code topics} do not exist (existing ones are left as they are) and waits
   * until every partition of every listed topic has a leader.
   *
   * @throws KafkaException if creation fails or the topics are not ready within {@code timeout}
   */
  public static void createAndAwait(Admin admin, Collection<NewTopic> topics, Duration timeout) {
    if (topics.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> names = topics.stream().map(NewTopic::name).toList();
    try {
      var results = admin.createTopics(topics).values();
      for (var entry : results.entrySet()) {
        try {
          entry.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new KafkaException(
                "Cannot create topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
          }
        }
      }
      awaitLeaders(admin, names, deadline, timeout);
      awaitLeadersServing(admin, names, deadline, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while creating topics " + names, e);
    } catch (TimeoutException e) {
      throw new KafkaException("Topics " + names + " were not created within " + timeout, e);
    }
  }

  private static void awaitLeaders(Admin admin, List<String> names, long deadline, Duration timeout)
      throws InterruptedException, TimeoutException {
    Set<String> notReady = new TreeSet<>(names);
    while (true) {
      try {
        Map<String, TopicDescription> descriptions =
            admin
                .describeTopics(new ArrayList<>(notReady))
                .allTopicNames()
                .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        descriptions.values().stream()
            .filter(TopicCreation::allPartitionsLed)
            .map(TopicDescription::name)
            .forEach(notReady::remove);
      } catch (ExecutionException e) {
        // The topic is created but not yet known to the broker: retry until the deadline.
        if (!(e.getCause() instanceof RetriableException)) {
          throw new KafkaException("Cannot describe topics " + notReady, e.getCause());
        }
      }
      if (notReady.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new KafkaException(
            "Topics " + notReady + " have partitions without a leader after " + timeout);
      }
      Thread.sleep(POLL_INTERVAL_MS);
    }
  }

  /**
   * Waits until every partition's leader answers a ListOffsets request. A leader can be in the
   * metadata before its broker has created the partition; a producer whose first batches meet that
   * window gets NOT_LEADER_OR_FOLLOWER and, seen here on Kafka 4.3, an idempotent producer can then
   * stay stuck on OUT_OF_ORDER_SEQUENCE_NUMBER for that partition.
   */
  private static void awaitLeadersServing(
      Admin admin, List<String> names, long deadline, Duration timeout)
      throws InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    try {
      for (TopicDescription description :
          admin
              .describeTopics(names)
              .allTopicNames()
              .get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
              .values()) {
        for (var partition : description.partitions()) {
          latest.put(
              new TopicPartition(description.name(), partition.partition()), OffsetSpec.latest());
        }
      }
    } catch (ExecutionException e) {
      throw new KafkaException("Cannot describe topics " + names, e.getCause());
    }
    while (true) {
      try {
        admin.listOffsets(latest).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new KafkaException("Cannot read offsets of " + names, e.getCause());
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new KafkaException("Partitions of " + names + " not served after " + timeout);
      }
      Thread.sleep(POLL_INTERVAL_MS);
    }
  }

  private static boolean allPartitionsLed(TopicDescription description) {
    return !description.partitions().isEmpty()
        && description.partitions().stream()
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }
}
