package io.recsys.app.retrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.recsys.model.data.Interaction;
import io.recsys.model.data.MovieLensReader;
import io.recsys.schemas.Json;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * For the retrain benchmark: writes a MovieLens ratings file into an {@code events} topic, one
 * {@code rating} event per rating (key = user id, record timestamp = the rating's time), in the
 * order {@link MovieLensReader} gives (time, ties in file order), as the demo's replay would.
 */
public final class MovieLensTopicLoader {
  private MovieLensTopicLoader() {}

  /** Creates {@code topic} with {@code partitions} partitions and fills it; returns the count. */
  public static long load(Path dir, String bootstrapServers, String topic, int partitions)
      throws IOException, InterruptedException {
    List<Interaction> interactions = MovieLensReader.read(dir);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      // The ratings are stamped 1997-2003: under the broker's default time retention (7 days)
      // their segments would be deleted at the next retention check, possibly mid-read.
      NewTopic newTopic =
          new NewTopic(topic, partitions, (short) 1)
              .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
      admin.createTopics(List.of(newTopic)).all().get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot create topic " + topic, e.getCause());
    }
    ObjectWriter writer = Json.newMapper().writer();
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ProducerConfig.LINGER_MS_CONFIG,
            "20",
            ProducerConfig.BATCH_SIZE_CONFIG,
            "262144",
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName());
    java.util.concurrent.atomic.AtomicReference<Exception> failed =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      for (Interaction i : interactions) {
        UserEvent event =
            new UserEvent(i.userId(), i.itemId(), "rating", i.rating(), i.timestampMs());
        byte[] value;
        try {
          value = writer.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
          throw new IOException("cannot encode a MovieLens event", e);
        }
        producer.send(
            new ProducerRecord<>(
                topic, null, i.timestampMs(), i.userId().getBytes(StandardCharsets.UTF_8), value),
            (metadata, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IOException("cannot write MovieLens events to " + topic, failed.get());
    }
    return interactions.size();
  }
}
