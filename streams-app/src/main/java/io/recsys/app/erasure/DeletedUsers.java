package io.recsys.app.erasure;

import io.recsys.app.kafka.Consumers;
import io.recsys.schemas.InvalidEventException;
import io.recsys.schemas.UserDeletionParser;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The deletion log as retraining needs it: each user's latest deletion time (the request record's
 * timestamp). A record written for the user before that time (an event, an example) belongs to a
 * history the user asked to forget and is skipped; one written after it starts a new history.
 */
public final class DeletedUsers {
  private static final Duration POLL = Duration.ofMillis(200);

  private final Map<String, Long> deletedAt;

  private DeletedUsers(Map<String, Long> deletedAt) {
    this.deletedAt = Map.copyOf(deletedAt);
  }

  /** No deletions. */
  public static DeletedUsers none() {
    return new DeletedUsers(Map.of());
  }

  /**
   * Reads the whole of {@code topic} as it is now (keys as written: raw user ids); a request the
   * pipeline refuses ({@code parser}) is not one here either. With {@code pseudonyms} enabled, a
   * user is known by both the raw id and the pseudonym.
   */
  public static DeletedUsers read(
      Map<String, ?> clientConfig,
      String topic,
      UserDeletionParser parser,
      UserPseudonyms pseudonyms) {
    Map<String, Long> deletedAt = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Consumers.standaloneConfig(clientConfig),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = Consumers.assignAll(consumer, topic);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var record : consumer.poll(POLL)) {
          try {
            String where = record.topic() + "-" + record.partition() + "@" + record.offset();
            String userId =
                parser.parse(record.key(), record.value(), where, record.timestamp()).userId();
            deletedAt.merge(userId, record.timestamp(), Math::max);
            if (pseudonyms.enabled()) {
              // Examples name users by their pseudonyms, events by their raw ids.
              deletedAt.merge(pseudonyms.of(userId), record.timestamp(), Math::max);
            }
          } catch (InvalidEventException e) {
            // Dead-lettered by the pipeline: nobody was forgotten.
          }
        }
      }
    }
    return new DeletedUsers(deletedAt);
  }

  /** Whether a record of {@code userId} with timestamp {@code timestamp} predates a deletion. */
  public boolean forgets(String userId, long timestamp) {
    Long at = deletedAt.get(userId);
    return at != null && timestamp <= at;
  }

  /** Names (ids and pseudonyms) with a deletion in the log. */
  public int size() {
    return deletedAt.size();
  }
}
