package io.recsys.app.erasure;

import io.recsys.app.kafka.ClientConfigs;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.UserDeletion;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes requests to forget a user to {@code user-deletions}, keyed by the user id as the user's
 * events are (so the default partitioner sends it to the user's partition). Each request gets a new
 * id, which names it in the reports. Thread-safe.
 */
public final class DeletionRequests implements AutoCloseable {
  private static final long SEND_TIMEOUT_MS = 30_000;

  private final Producer<String, UserDeletion> producer;
  private final String topic;
  private final LongSupplier clock;

  public DeletionRequests(Map<String, ?> clientConfig, String topic) {
    Map<String, Object> config = ClientConfigs.subset(clientConfig, ProducerConfig.configNames());
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "recsys-deletion-requests");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer =
        new KafkaProducer<>(
            config, new StringSerializer(), SchemaSerdes.userDeletion().serializer());
    this.topic = topic;
    this.clock = System::currentTimeMillis;
  }

  /**
   * Sends a request to forget {@code userId} and waits until the broker has it.
   *
   * @return the request sent
   * @throws KafkaException if the broker did not take it
   */
  public UserDeletion request(String userId) {
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("userId: must be a non-blank string");
    }
    long now = clock.getAsLong();
    UserDeletion deletion =
        new UserDeletion(UserDeletion.SCHEMA_VERSION, "del-" + UUID.randomUUID(), now);
    try {
      producer
          .send(new ProducerRecord<>(topic, null, now, userId, deletion))
          .get(SEND_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException("cannot write the deletion request to " + topic, e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException(
          "the deletion request was not written to " + topic + " within " + SEND_TIMEOUT_MS + " ms",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while writing the deletion request", e);
    }
    return deletion;
  }

  @Override
  public void close() {
    producer.close();
  }
}
