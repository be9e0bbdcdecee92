package io.recsys.app.registry;

import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a registry version's full checkpoint (optimizer state included, so that the online
 * trainer can continue it) to {@code model-updates} as version {@code v<N>} with the header {@code
 * recsys.model.origin=registry}.
 */
public final class ModelPublisher {
  private final Map<String, Object> producerConfig;
  private final String topic;

  public ModelPublisher(Map<String, ?> clientConfig, String topic) {
    Map<String, Object> config = ClientConfigs.subset(clientConfig, ProducerConfig.configNames());
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    // A full checkpoint is written stored (uncompressed, see Checkpoints); lz4 on the producer's
    // own thread shrinks it on the wire at a fraction of deflate's cost.
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producerConfig = new HashMap<>(config);
    this.topic = topic;
  }

  /** What was published. */
  public record Published(ModelVersion version, int bytes, int chunks) {}

  /** Publishes {@code model} and waits until the broker has every chunk. */
  public Published publish(RegisteredModel model) throws IOException {
    byte[] checkpoint = Files.readAllBytes(model.checkpoint());
    Long toTimestamp = model.provenance().toTimestamp();
    ModelVersion version =
        new ModelVersion(
            model.name(), System.currentTimeMillis(), toTimestamp == null ? 0L : toTimestamp);
    var records = ModelUpdates.records(topic, version, checkpoint, ModelUpdates.ORIGIN_REGISTRY);
    try (var producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (var record : records) {
        sent.add(producer.send(record));
      }
      for (Future<RecordMetadata> future : sent) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IOException(
          "cannot publish " + model.name() + " to " + topic + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while publishing " + model.name(), e);
    }
    return new Published(version, checkpoint.length, records.size());
  }
}
