package io.recsys.app.kafka;

import io.recsys.app.config.RecsysSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the pipeline's topics that do not exist yet. Existing topics are left as they are, so an
 * operator who created them with other settings keeps those.
 */
public final class TopicProvisioner {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private TopicProvisioner() {}

  /** The topics the pipeline needs, with the partitioning and cleanup policy it expects. */
  public static List<NewTopic> requiredTopics(RecsysSettings settings) {
    var names = settings.topics();
    int partitions = settings.topics().partitions();
    Optional<Short> replication =
        settings.topics().replicationFactor() < 0
            ? Optional.empty()
            : Optional.of(settings.topics().replicationFactor());
    List<NewTopic> topics = new ArrayList<>();
    for (String name :
        List.of(
            names.events(),
            names.deadLetters(),
            names.recommendations(),
            names.itemEvents(),
            names.trainingExamples(),
            names.metrics())) {
      topics.add(new NewTopic(name, Optional.of(partitions), replication));
    }
    // One small record per item partition, read whole by every instance: compacted, 1 partition.
    topics.add(
        new NewTopic(names.popularity(), Optional.of(1), replication)
            .configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
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
}
