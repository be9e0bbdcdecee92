package io.recsys.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.kafka.TopicProvisioner;
import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.model.NextItemModel;
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

/** Items unseen for the expiry or beyond the most kept release their rows, on a real broker. */
class TrainerItemExpiryTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long START = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;

  @TempDir Path dir;

  private static TrainingExampleRecord example(int i, String catalogue, long eventTime) {
    return new TrainingExampleRecord(
        TrainingExampleRecord.SCHEMA_VERSION,
        "user-" + (i % 10),
        List.of(catalogue + (i % 5), catalogue + ((i + 1) % 5)),
        catalogue + ((i + 2) % 5),
        1.0,
        eventTime);
  }

  @Test
  void shouldReleaseTheRowsOfItemsUnseenForTheExpiryAndKeepTheRecentOnes() throws Exception {
    // Given five old items, then two hours later five new ones; a trainer with a one-hour expiry
    NextItemModel model =
        trainAndReload("item-expiry", Map.of(RecsysConfig.TRAINER_ITEM_EXPIRY_CONFIG, HOUR));

    // Then the old items lost their rows and the new ones kept theirs
    assertOnlyTheNewItemsRemain(model);
  }

  @Test
  void shouldKeepNoMoreThanTheMostItemsTheMostRecentlySeen() throws Exception {
    // Given the same examples and a trainer that keeps at most five items
    NextItemModel model =
        trainAndReload("max-items", Map.of(RecsysConfig.TRAINER_MAX_ITEMS_CONFIG, 5));

    assertOnlyTheNewItemsRemain(model);
  }

  private void assertOnlyTheNewItemsRemain(NextItemModel model) {
    try (model) {
      for (int k = 0; k < 5; k++) {
        assertThat(model.vocabulary().rowOf("old-" + k)).as("old-" + k).isEqualTo(-1);
        assertThat(model.vocabulary().rowOf("new-" + k)).as("new-" + k).isNotNegative();
      }
      assertThat(model.vocabulary().size()).isEqualTo(5);
    }
  }

  /**
   * Examples of five old items, then two hours later of five new ones only, trained by a trainer
   * with {@code settings} that then stops (its final checkpoint); returns the checkpointed model.
   */
  private NextItemModel trainAndReload(String name, Map<String, Object> settingsToSet)
      throws Exception {
    Map<String, Object> config = KAFKA.appConfig(name);
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "1");
    config.put(RecsysConfig.TRAINER_MAX_LAG_CONFIG, "0");
    settingsToSet.forEach((key, value) -> config.put(key, String.valueOf(value)));
    RecsysSettings settings = RecsysConfig.validate(config);
    try (Admin admin = Admin.create(KAFKA.clientConfig())) {
      TopicProvisioner.ensureTopics(admin, TopicProvisioner.requiredTopics(settings));
    }
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(),
            new StringSerializer(),
            SchemaSerdes.trainingExample().serializer())) {
      String topic = settings.topics().trainingExamples();
      for (int i = 0; i < 200; i++) {
        TrainingExampleRecord value =
            i < 100 ? example(i, "old-", START + i) : example(i, "new-", START + 2 * HOUR + i);
        producer.send(new ProducerRecord<>(topic, value.userId(), value));
      }
      producer.flush();
    }
    TrainerMetrics metrics = new TrainerMetrics(new SimpleMeterRegistry());
    Path trainerDir = dir.resolve("trainer");
    try (Trainer trainer =
        new Trainer(
            settings.trainer(),
            settings.modelSync(),
            settings.model(),
            settings.topics(),
            KAFKA.clientConfig(),
            trainerDir,
            metrics)) {
      Await.until(() -> trainer.consumed() == 200 && metrics.itemsExpired() > 0);
      assertThat(trainer.failure()).isNull();
    }
    assertThat(metrics.itemsExpired()).isEqualTo(5);
    return new Checkpointer(trainerDir).loadOrCreate(settings.model());
  }
}
