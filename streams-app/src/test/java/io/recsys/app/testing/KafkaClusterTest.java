package io.recsys.app.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaClusterTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  @Test
  void shouldCreateTopicsThatAcceptRecordsAndSurviveRestart() throws Exception {
    String topic = KAFKA.uniqueTopicName("events");
    KAFKA.createTopic(topic, 2);
    produce(topic, "before");

    assumeTrue(KAFKA.supportsRestart(), "only the embedded broker restarts");
    String bootstrapServers = KAFKA.bootstrapServers();
    KAFKA.restart();

    assertThat(KAFKA.bootstrapServers()).isEqualTo(bootstrapServers);
    produce(topic, "after");
    try (Admin admin = Admin.create(KAFKA.clientConfig())) {
      assertThat(admin.listTopics().names().get()).contains(topic);
    }
  }

  private static void produce(String topic, String value) throws Exception {
    try (var producer =
        new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, value, value)).get();
    }
  }

  @Test
  void shouldNameTopicsUniquely() {
    assertThat(List.of(KAFKA.uniqueTopicName("t"), KAFKA.uniqueTopicName("t")))
        .doesNotHaveDuplicates();
  }
}
