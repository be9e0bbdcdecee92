package io.recsys.app.erasure;

import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.kafka.Consumers;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.SchemaSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The confirmations on {@code user-deletions-applied}: a producer for components outside the
 * topology (the trainer), and a reader that waits for the reports of one request.
 */
public final class DeletionReports {
  private DeletionReports() {}

  /** A producer of reports for a component outside the topology; the caller closes it. */
  public static Producer<String, DeletionReport> producer(
      Map<String, ?> clientConfig, String clientId) {
    Map<String, Object> config = ClientConfigs.subset(clientConfig, ProducerConfig.configNames());
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(
        config, new StringSerializer(), SchemaSerdes.deletionReport().serializer());
  }

  /** Sends {@code report} keyed by its request id (asynchronously). */
  public static void send(
      Producer<String, DeletionReport> producer, String topic, DeletionReport report) {
    producer.send(new ProducerRecord<>(topic, report.requestId(), report));
  }

  /**
   * Reads the reports topic from its end as it is when this is opened, so that a request sent after
   * opening cannot be missed. Not thread-safe.
   */
  public static final class Watch implements AutoCloseable {
    private final KafkaConsumer<String, DeletionReport> consumer;

    public Watch(Map<String, ?> clientConfig, String topic) {
      Map<String, Object> config = Consumers.standaloneConfig(clientConfig);
      config.put(ConsumerConfig.CLIENT_ID_CONFIG, "recsys-deletion-reports");
      this.consumer =
          new KafkaConsumer<>(
              config, new StringDeserializer(), SchemaSerdes.deletionReport().deserializer());
      try {
        var partitions = Consumers.assignAll(consumer, topic);
        consumer.seekToEnd(partitions);
        // Resolve the end offsets now, before the request is sent.
        partitions.forEach(consumer::position);
      } catch (RuntimeException e) {
        consumer.close();
        throw e;
      }
    }

    /**
     * The reports of {@code requestId} that arrive until every component of {@code components} has
     * reported or {@code timeout} has passed, one per component (the first).
     */
    public List<DeletionReport> await(String requestId, Set<String> components, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<DeletionReport> reports = new ArrayList<>();
      Set<String> missing = new java.util.TreeSet<>(components);
      while (!missing.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, DeletionReport> record :
            consumer.poll(Duration.ofMillis(200))) {
          DeletionReport report = record.value();
          if (report != null
              && requestId.equals(report.requestId())
              && missing.remove(report.component())) {
            reports.add(report);
          }
        }
      }
      return reports;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
