package io.recsys.app.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.recsys.schemas.Json;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes recorded events into an events topic as producers of a live deployment would: JSON values,
 * keyed by user id, record timestamp = event time, in the order given, at a steady rate or as fast
 * as the producer batches them. Fails on the first record the broker refuses.
 */
public final class EventWriter {
  private static final long PROGRESS_EVERY = 10_000;

  private EventWriter() {}

  /**
   * @param clientConfig connection and security settings (other keys are ignored)
   * @param eventsPerSecond the pace, or 0 for as fast as possible
   * @param progress told the number written every {@value #PROGRESS_EVERY} events and at the end
   * @return the events written
   */
  public static long write(
      Map<String, ?> clientConfig,
      String topic,
      Iterable<UserEvent> events,
      double eventsPerSecond,
      LongConsumer progress)
      throws IOException, InterruptedException {
    Map<String, Object> config = ClientConfigs.subset(clientConfig, ProducerConfig.configNames());
    config.put(ProducerConfig.LINGER_MS_CONFIG, eventsPerSecond > 0 ? 5 : 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    ObjectWriter json = Json.newMapper().writer();
    AtomicReference<Exception> failed = new AtomicReference<>();
    long written = 0;
    long start = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (UserEvent event : events) {
        if (failed.get() != null) {
          break;
        }
        byte[] value;
        try {
          value = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
          throw new IOException("cannot encode event " + event, e);
        }
        producer.send(
            new ProducerRecord<>(
                topic,
                null,
                event.eventTime(),
                event.userId().getBytes(StandardCharsets.UTF_8),
                value),
            (metadata, e) -> {
              if (e != null) {
                failed.compareAndSet(null, e);
              }
            });
        written++;
        if (eventsPerSecond > 0) {
          long due = start + (long) (written * 1e9 / eventsPerSecond);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        if (written % PROGRESS_EVERY == 0) {
          progress.accept(written);
        }
      }
      producer.flush();
    }
    if (failed.get() != null) {
      throw new IOException("cannot write events to " + topic + ": " + failed.get(), failed.get());
    }
    progress.accept(written);
    return written;
  }
}
