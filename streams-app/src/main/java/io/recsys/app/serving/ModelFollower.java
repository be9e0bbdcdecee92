package io.recsys.app.serving;

import io.recsys.app.Consumers;
import io.recsys.app.serving.ModelUpdates.Assembled;
import io.recsys.model.NextItemModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code model-updates} topic on its own thread and swaps each complete version into
 * {@link CurrentModel}. Reads the topic from its beginning, so a new or restarted instance catches
 * up to the latest retained version; while catching up it loads only the newest version it has
 * seen, not every one on the way.
 */
public final class ModelFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final CurrentModel current;
  private final Thread thread;
  private volatile boolean closed;

  public ModelFollower(Map<String, Object> clientConfig, String topic, CurrentModel current) {
    Map<String, Object> config = ModelUpdates.consumerConfig(clientConfig);
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.current = current;
    List<TopicPartition> partitions = Consumers.assignAll(consumer, topic);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::follow, "recsys-model-follower");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    ModelUpdates.Assembler assembler = new ModelUpdates.Assembler();
    try {
      while (!closed) {
        Assembled newest = null;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Optional<Assembled> complete;
          try {
            complete = assembler.add(record);
          } catch (IllegalArgumentException e) {
            // A record not written by ModelUpdates must not stop the instance following versions.
            current.refused();
            LOG.error("Skipped model-updates record at offset {}: {}", record.offset(), e.getMessage());
            continue;
          }
          if (complete.isPresent()) {
            newest = complete.get();
          }
        }
        if (newest != null) {
          load(newest);
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      LOG.error("Model follower stopped; serving keeps its current model", e);
    } finally {
      consumer.close();
    }
  }

  private void load(Assembled assembled) {
    Path file = null;
    try {
      file = Files.createTempFile("recsys-model-", ".zip");
      Files.write(file, assembled.checkpoint());
      NextItemModel model = NextItemModel.load(file);
      boolean first = current.get().isEmpty();
      current.swap(assembled.version(), model);
      // The first version matters to an operator; later ones arrive every second or so.
      (first ? LOG.atInfo() : LOG.atDebug()).log(
          "Serving model {} ({} bytes, {} ms after it was published)",
          assembled.version().version(),
          assembled.checkpoint().length,
          System.currentTimeMillis() - assembled.version().createdAt());
    } catch (IOException | RuntimeException e) {
      current.refused();
      LOG.error(
          "Refused model {}: it does not load; still serving the previous one",
          assembled.version().version(),
          e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.debug("Cannot delete {}", file, e);
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
