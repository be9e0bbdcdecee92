package io.recsys.app.retrain;

import io.recsys.app.eventfiles.FileEvent;
import io.recsys.app.kafka.EventWriter;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * For the retrain benchmark: creates an {@code events} topic that keeps its records and writes a
 * recorded history into it ({@link EventWriter}), in the history's time order, as the demo's replay
 * would.
 */
public final class EventTopicLoader {
  private EventTopicLoader() {}

  /** Creates {@code topic} with {@code partitions} partitions and fills it; returns the count. */
  public static long load(
      List<FileEvent> events, String bootstrapServers, String topic, int partitions)
      throws IOException, InterruptedException {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      // Recorded events are stamped years ago: under the broker's default time retention (7 days)
      // their segments would be deleted at the next retention check, possibly mid-read.
      NewTopic newTopic =
          new NewTopic(topic, partitions, (short) 1)
              .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
      admin.createTopics(List.of(newTopic)).all().get();
    } catch (ExecutionException e) {
      throw new IOException("cannot create topic " + topic, e.getCause());
    }
    return EventWriter.write(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        topic,
        () -> events.stream().map(FileEvent::toUserEvent).iterator(),
        0,
        written -> {});
  }
}
