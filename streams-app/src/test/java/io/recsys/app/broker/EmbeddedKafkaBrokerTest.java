package io.recsys.app.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {
  private static final String TOPIC = "events";
  private static final int PARTITIONS = 3;

  /** Generous: only bounds a broken test; a healthy run reads everything in well under 1 s. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path tempDir;

  @Test
  void shouldDeliverProducedRecordsToConsumerAndDeleteDataOnClose() throws Exception {
    Path dataDir = tempDir.resolve("broker");
    List<String> values = IntStream.range(0, 100).mapToObj(i -> "value-" + i).toList();

    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder(dataDir).deleteDataDirOnClose(true).start()) {
      broker.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)));
      // Creating an existing topic again is a no-op, so callers need not check first.
      broker.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)));

      produce(broker, values);

      try (Admin admin = Admin.create(broker.clientConfig())) {
        var description = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
        assertThat(description.partitions()).hasSize(PARTITIONS);
      }
      assertThat(readAll(broker, values.size())).containsExactlyInAnyOrderElementsOf(values);
      assertThat(dataDir.resolve("kafka-logs").resolve("meta.properties")).exists();
    }

    assertThat(dataDir).doesNotExist();
  }

  @Test
  void shouldKeepTopicsAndRecordsWhenRestartedOnSameDataDirAndPort() throws Exception {
    Path dataDir = tempDir.resolve("broker");
    List<String> beforeRestart = List.of("a", "b", "c");
    List<String> afterRestart = List.of("d", "e");

    int port;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir)) {
      port = broker.port();
      broker.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)));
      produce(broker, beforeRestart);
    }
    assertThat(dataDir).exists();

    // Given a broker started again on the stopped broker's directory and port,
    try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(dataDir, port)) {
      assertThat(restarted.bootstrapServers()).isEqualTo("localhost:" + port);
      // when more records are produced,
      produce(restarted, afterRestart);

      // then the records from before the restart are still there, alongside the new ones.
      List<String> expected = new ArrayList<>(beforeRestart);
      expected.addAll(afterRestart);
      assertThat(readAll(restarted, expected.size())).containsExactlyInAnyOrderElementsOf(expected);

      // and restart() keeps them too, on the same address.
      try (EmbeddedKafkaBroker again = restarted.restart()) {
        assertThat(again.bootstrapServers()).isEqualTo(restarted.bootstrapServers());
        assertThat(readAll(again, expected.size())).containsExactlyInAnyOrderElementsOf(expected);
      }
    }
    assertThat(dataDir.resolve("kafka-logs").resolve("meta.properties")).exists();
  }

  private static void produce(EmbeddedKafkaBroker broker, List<String> values) throws Exception {
    Map<String, Object> config = new HashMap<>(broker.clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(TOPIC, value, value)).get();
      }
    }
  }

  /** Reads every partition from the beginning until {@code expected} records have arrived. */
  private static List<String> readAll(EmbeddedKafkaBroker broker, int expected) {
    Map<String, Object> config = new HashMap<>(broker.clientConfig());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> values = new ArrayList<>();
    // Assigned partitions, no group: the test checks storage, not group coordination.
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
    }
    return values;
  }
}
