package io.recsys.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.DeletionReports;
import io.recsys.app.kafka.TopicProvisioner;
import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.TrainingExampleRecord;
import io.recsys.schemas.UserDeletion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer and a deletion, against a real broker: the marker on {@code training-examples} drops
 * the user's carried state and is confirmed, and what the trainer keeps on disk (its checkpoint:
 * weights, optimizer state, vocabulary, offsets) names no user.
 */
class TrainerErasureTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final String SECRET = "secret-user-";

  @TempDir Path dir;

  /** Sequences longer than the steps that get gradients, so that states are carried. */
  private static TrainingExampleRecord example(int i) {
    List<String> sequence = new ArrayList<>();
    for (int step = 0; step < 12; step++) {
      sequence.add("item-" + ((i + step) % 13));
    }
    return new TrainingExampleRecord(
        TrainingExampleRecord.SCHEMA_VERSION,
        SECRET + (i % 5),
        sequence,
        "item-" + ((i + 12) % 13),
        1.0,
        1_700_000_000_000L + i);
  }

  @Test
  void shouldDropTheCarriedStateConfirmAndKeepNoUserIdInTheCheckpoint() throws Exception {
    Map<String, Object> config = KAFKA.appConfig("trainer-erasure");
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "1");
    // Several micro-batches: states are carried from the second on (the items are known then).
    config.put(RecsysConfig.TRAINER_BATCH_SIZE_CONFIG, "20");
    RecsysSettings settings = RecsysConfig.validate(config);
    try (Admin admin = Admin.create(KAFKA.clientConfig())) {
      TopicProvisioner.provision(admin, settings);
    }
    // Given examples of five users, then a deletion marker for one of them
    String topic = settings.topics().trainingExamples();
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(),
            new StringSerializer(),
            SchemaSerdes.trainingExample().serializer())) {
      for (int i = 0; i < 200; i++) {
        TrainingExampleRecord value = example(i);
        producer.send(new ProducerRecord<>(topic, value.userId(), value));
      }
      RecordHeaders headers = new RecordHeaders();
      headers.add(UserDeletion.REQUEST_HEADER, "req-7".getBytes(StandardCharsets.UTF_8));
      producer.send(new ProducerRecord<>(topic, null, SECRET + "3", null, headers));
      producer.flush();
    }

    // When the trainer reads them and stops (writing its final checkpoint)
    TrainerMetrics metrics = new TrainerMetrics(new SimpleMeterRegistry());
    Path trainerDir = dir.resolve("trainer");
    List<DeletionReport> reports;
    try (DeletionReports.Watch watch =
        new DeletionReports.Watch(KAFKA.clientConfig(), settings.topics().deletionReports())) {
      try (Trainer trainer =
          new Trainer(
              settings.trainer(),
              settings.modelSync(),
              settings.model(),
              settings.topics(),
              KAFKA.clientConfig(),
              trainerDir,
              metrics)) {
        Await.until(() -> trainer.consumed() == 201);
        assertThat(trainer.failure()).isNull();
        assertThat(metrics.examplesTrained()).isEqualTo(200);
      }
      reports = watch.await("req-7", Set.of(DeletionReport.TRAINER), Duration.ofSeconds(60));
    }

    // Then the trainer confirmed, having held the user's carried state
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).removed()).containsEntry("trainer-carried-states", 1L);
    // And nothing it keeps names any user, though all five trained it
    List<String> files = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(trainerDir)) {
      for (Path file : paths.filter(Files::isRegularFile).toList()) {
        files.add(file.getFileName().toString());
        assertThat(readable(file)).as(file.toString()).doesNotContain(SECRET);
      }
    }
    assertThat(files).isNotEmpty();
  }

  /** The file's bytes as text, and for a zip every entry's inflated bytes too. */
  private static String readable(Path file) throws IOException {
    StringBuilder text =
        new StringBuilder(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    if (file.toString().endsWith(".zip")) {
      try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
        ZipEntry entry;
        while ((entry = zip.getNextEntry()) != null) {
          text.append(entry.getName()).append('\n');
          text.append(new String(inflated(zip), StandardCharsets.ISO_8859_1));
        }
      }
    }
    return text.toString();
  }

  private static byte[] inflated(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }
}
