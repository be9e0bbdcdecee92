package io.recsys.app.modelsync;

import io.recsys.app.kafka.Consumers;
import io.recsys.app.modelsync.ModelUpdates.Assembled;
import java.io.IOException;
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
 * {@link CurrentModel}: a snapshot is loaded, a delta is applied to a copy of the served model.
 * Reads the topic from its beginning, so a new or restarted instance catches up from the latest
 * retained snapshot and the deltas after it; while catching up it loads only the newest snapshot it
 * has seen, not every one on the way ({@link VersionChain}).
 */
public final class ModelFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final CurrentModel current;
  private final Thread thread;
  private volatile boolean closed;

  public ModelFollower(Map<String, Object> clientConfig, String topic, CurrentModel current) {
    Map<String, Object> config = ModelUpdates.consumerConfig(clientConfig);
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.current = current;
    List<TopicPartition> partitions = Consumers.assignAll(consumer, topic);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::follow, "recsys-model-follower");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    ModelUpdates.Assembler assembler = new ModelUpdates.Assembler();
    VersionChain chain = new VersionChain();
    try {
      while (!closed) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          Optional<Assembled> complete;
          try {
            complete = assembler.add(record);
          } catch (IllegalArgumentException e) {
            // A record not written by ModelUpdates must not stop the instance following versions.
            current.refused();
            LOG.error(
                "Skipped model-updates record at offset {}: {}", record.offset(), e.getMessage());
            continue;
          }
          if (complete.isPresent() && !chain.add(complete.get(), servedVersion())) {
            LOG.debug(
                "Skipped delta {} on {}: not the version served; waiting for a snapshot",
                complete.get().version().version(),
                complete.get().base());
          }
        }
        if (chain.hasPending()) {
          load(chain);
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

  private String servedVersion() {
    return current.get().map(loaded -> loaded.version().version()).orElse(null);
  }

  private void load(VersionChain chain) {
    Optional<CurrentModel.Loaded> served = current.get();
    try {
      // Snapshots and deltas go into the served model in place, under its lock, which the stream
      // waits for only as long as copying a delta's rows, or one slice of a snapshot's, takes.
      VersionChain.Built built =
          chain.build(served.map(CurrentModel.Loaded::model).orElse(null)).orElseThrow();
      if (built.fromSnapshot()) {
        current.swap(built.version(), built.model());
      } else {
        current.advance(built.version(), built.model());
      }
      // The first version matters to an operator; later ones arrive every second or so.
      (served.isEmpty() ? LOG.atInfo() : LOG.atDebug())
          .log(
              "Serving model {} ({} bytes, {} deltas, {} ms after it was published)",
              built.version().version(),
              built.bytes(),
              built.deltas(),
              System.currentTimeMillis() - built.version().createdAt());
    } catch (IOException | RuntimeException e) {
      current.refused();
      LOG.error("Refused a model update: {}; still serving the previous model", e.getMessage(), e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(10_000);
  }
}
