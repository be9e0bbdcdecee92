package io.recsys.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.kafka.TopicProvisioner;
import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.TrainingExampleRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's freshness bound against a real broker: late examples are skipped and counted. */
class TrainerFreshnessBoundTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  @TempDir Path dir;

  private static TrainingExampleRecord example(int i) {
    return new TrainingExampleRecord(
        TrainingExampleRecord.SCHEMA_VERSION,
        "user-" + (i % 20),
        List.of("item-" + (i % 7), "item-" + (i % 11)),
        "item-" + (i % 13),
        1.0,
        1_700_000_000_000L + i);
  }

  @Test
  void shouldSkipExamplesOlderThanTheBoundAndTrainOnTheRecentOnes() throws Exception {
    // Given a backlog of 300 examples stamped ten minutes ago, then 200 stamped now
    Map<String, Object> config = KAFKA.appConfig("freshness");
    config.put(RecsysConfig.TRAINER_MAX_LAG_CONFIG, "60000");
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    RecsysSettings settings = RecsysConfig.validate(config);
    try (Admin admin = Admin.create(KAFKA.clientConfig())) {
      TopicProvisioner.ensureTopics(admin, TopicProvisioner.requiredTopics(settings));
    }
    long now = System.currentTimeMillis();
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(),
            new StringSerializer(),
            SchemaSerdes.trainingExample().serializer())) {
      String topic = settings.topics().trainingExamples();
      for (int i = 0; i < 500; i++) {
        long timestamp = i < 300 ? now - 600_000 : now;
        TrainingExampleRecord value = example(i);
        producer.send(new ProducerRecord<>(topic, null, timestamp, value.userId(), value));
      }
      producer.flush();
    }

    // When a trainer with a one-minute bound reads them
    TrainerMetrics metrics = new TrainerMetrics(new SimpleMeterRegistry());
    try (Trainer trainer =
        new Trainer(
            settings.trainer(),
            settings.modelSync(),
            settings.model(),
            settings.topics(),
            KAFKA.clientConfig(),
            dir.resolve("trainer"),
            metrics)) {
      Await.until(() -> trainer.consumed() == 500);

      // Then it skipped the late ones, counted them, and trained on the recent ones
      assertThat(metrics.examplesSkipped()).isEqualTo(300);
      assertThat(metrics.examplesTrained()).isEqualTo(200);
      assertThat(trainer.failure()).isNull();
    }
  }
}
