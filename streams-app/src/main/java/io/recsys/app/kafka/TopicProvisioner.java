package io.recsys.app.kafka;

import io.recsys.app.config.RecsysSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the pipeline's topics that do not exist yet. Existing topics are left as they are, so an
 * operator who created them with other settings keeps those.
 */
public final class TopicProvisioner {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private TopicProvisioner() {}

  /**
   * Creates the pipeline's missing topics ({@link #requiredTopics}) and checks that {@code
   * user-deletions} has the partitions of {@code events}: a deletion must reach the task that holds
   * the user, after the user's earlier events. A new {@code user-deletions} takes the partition
   * count of an existing {@code events} topic.
   *
   * @throws IllegalStateException if the two topics exist with different partition counts
   */
  public static void provision(Admin admin, RecsysSettings settings) {
    var names = settings.topics();
    OptionalInt eventPartitions = partitionsOf(admin, names.events());
    ensureTopics(admin, requiredTopics(settings, eventPartitions));
    int events = partitionsOf(admin, names.events()).orElseThrow();
    int deletions = partitionsOf(admin, names.userDeletions()).orElseThrow();
    if (events != deletions) {
      throw new IllegalStateException(
          "topic "
              + names.userDeletions()
              + " has "
              + deletions
              + " partitions but "
              + names.events()
              + " has "
              + events
              + ": deletions are keyed like events and must be partitioned the same way, or a"
              + " deletion misses the user's state. Recreate "
              + names.userDeletions()
              + " with "
              + events
              + " partitions (or name another topic in "
              + "recsys.topic.user.deletions).");
    }
  }

  /** The topics the pipeline needs, with the partitioning and cleanup policy it expects. */
  public static List<NewTopic> requiredTopics(RecsysSettings settings) {
    return requiredTopics(settings, OptionalInt.empty());
  }

  private static List<NewTopic> requiredTopics(
      RecsysSettings settings, OptionalInt existingEventPartitions) {
    var names = settings.topics();
    int partitions = names.partitions();
    Optional<Short> replication =
        names.replicationFactor() < 0 ? Optional.empty() : Optional.of(names.replicationFactor());
    // Records that name a user are kept no longer than the erasure bound.
    Map<String, String> userData =
        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(names.retentionMs()));
    List<NewTopic> topics = new ArrayList<>();
    for (String name :
        List.of(
            names.events(),
            names.deadLetters(),
            names.recommendations(),
            names.itemEvents(),
            names.itemPairs(),
            names.trainingExamples())) {
      topics.add(new NewTopic(name, Optional.of(partitions), replication).configs(userData));
    }
    topics.add(new NewTopic(names.metrics(), Optional.of(partitions), replication));
    topics.add(
        new NewTopic(names.deletionReports(), Optional.of(partitions), replication)
            .configs(userData));
    // Keyed and partitioned like events. Compacted: retraining needs each user's latest deletion,
    // and a request older than the retention has no record left to skip.
    topics.add(
        new NewTopic(
                names.userDeletions(),
                Optional.of(existingEventPartitions.orElse(partitions)),
                replication)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(names.retentionMs()))));
    // One small record per item partition, read whole by every instance: compacted, 1 partition.
    topics.add(
        new NewTopic(names.popularity(), Optional.of(1), replication)
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    // Each item's newest neighbour list, read whole by every instance: compacted. Keyed by item
    // and partitioned like the item-keyed topics, so that publishing spreads over the brokers.
    topics.add(
        new NewTopic(names.itemNeighbours(), Optional.of(partitions), replication)
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    // The trainer lease is the ownership of this partition; nothing is written to it.
    topics.add(new NewTopic(names.trainerLease(), Optional.of(1), replication));
    // Model versions are large and only the newest matters: bounded by size, one partition so
    // that chunks stay in order. The bound must hold the newest snapshot and the deltas after it,
    // or a late instance waits for the next snapshot: a 10^6-item model's snapshot is ~220 MB and
    // its deltas ~4 MB/s (bin/bench-catalogue).
    topics.add(
        new NewTopic(names.modelUpdates(), Optional.of(1), replication)
            .configs(
                Map.of(
                    TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(2048L << 20),
                    TopicConfig.SEGMENT_BYTES_CONFIG, Long.toString(64L << 20),
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(24L * 3600 * 1000))));
    return topics;
  }

  /**
   * Creates whichever of {@code topics} are missing and waits until every partition has a leader,
   * so that clients started right after this do not race the new topics' leader election.
   */
  public static void ensureTopics(Admin admin, List<NewTopic> topics) {
    TopicCreation.createAndAwait(admin, topics, READY_TIMEOUT);
  }

  /** The partition count of {@code topic}, or empty where it does not exist. */
  public static OptionalInt partitionsOf(Admin admin, String topic) {
    try {
      TopicDescription description =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
      return OptionalInt.of(description.partitions().size());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return OptionalInt.empty();
      }
      throw new KafkaException("Cannot describe topic " + topic + ": " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("Interrupted while describing topic " + topic, e);
    } catch (TimeoutException e) {
      throw new KafkaException("Topic " + topic + " not described within " + READY_TIMEOUT, e);
    }
  }
}
