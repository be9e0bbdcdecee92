package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.UserEvent;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recsys produce} replays a team's own event file into a running deployment: every line
 * once, in time order, and the pipeline recommends for each.
 */
class ProduceCommandTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final int USERS = 30;
  private static final int STEPS = 6;

  @TempDir Path dir;

  @Test
  void shouldWriteEveryLineOnceInTimeOrderAndGetARecommendationForEach() throws Exception {
    // Given a shop's export, its lines out of time order, and a running deployment
    Path export = dir.resolve("export.csv");
    Set<String> lines = new HashSet<>();
    try (Writer writer = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
      writer.write("customer_id,sku,action,event_time\n");
      for (int step = STEPS - 1; step >= 0; step--) {
        for (int user = 0; user < USERS; user++) {
          long time = 1_700_000_000L + step * 60L + user;
          String sku = "sku-" + ((user * 7 + step) % 40);
          writer.write("c" + user + "," + sku + ",view," + time + "\n");
          lines.add("c" + user + "|" + sku + "|" + time * 1000);
        }
      }
    }
    Map<String, Object> config = KAFKA.appConfig("produce");
    config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    String events = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    String recommendations = (String) config.get(RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG);
    try (RecsysApp app = RecsysApp.start(config)) {
      // When it is produced with the columns named
      CliRun run =
          CliRun.of(
              "produce",
              "--file",
              "file:" + export,
              "--columns",
              "user=customer_id,item=sku,type=action,time=event_time",
              "--config",
              writeConfig(config).toString(),
              "--json");

      // Then every line is on the events topic once, each partition in time order
      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode summary = run.lastJsonLine();
      assertThat(summary.get("events").asLong()).isEqualTo((long) USERS * STEPS);
      List<ConsumerRecord<byte[], byte[]>> written =
          CommittedRecords.readAll(KAFKA.clientConfig(), events);
      Set<String> seen = new HashSet<>();
      Map<Integer, Long> lastTime = new HashMap<>();
      for (var record : written) {
        UserEvent event =
            SchemaSerdes.userEvent().deserializer().deserialize(events, record.value());
        assertThat(seen.add(event.userId() + "|" + event.itemId() + "|" + event.eventTime()))
            .isTrue();
        assertThat(record.timestamp()).isEqualTo(event.eventTime());
        assertThat(event.eventTime())
            .isGreaterThanOrEqualTo(lastTime.getOrDefault(record.partition(), 0L));
        lastTime.put(record.partition(), event.eventTime());
      }
      assertThat(seen).isEqualTo(lines);

      // And the pipeline answers every one of them
      List<Recommendation> answered = new ArrayList<>();
      for (var record :
          CommittedRecords.readUntil(
              KAFKA.clientConfig(), recommendations, USERS * STEPS, Duration.ofSeconds(120))) {
        answered.add(
            SchemaSerdes.recommendation()
                .deserializer()
                .deserialize(recommendations, record.value()));
      }
      assertThat(answered).hasSize(USERS * STEPS);
    }
  }

  @Test
  void shouldWriteSyntheticEventsStampedFromNowAsManyAsAsked() throws Exception {
    // Given a deployment's events topic
    Map<String, Object> config = KAFKA.appConfig("produce-synthetic");
    String events = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    KAFKA.createTopic(events, 2);
    long before = System.currentTimeMillis();

    // When the demo's behaviour is produced, 300 events
    CliRun run =
        CliRun.of(
            "produce",
            "--file",
            "synthetic",
            "--events",
            "300",
            "--config",
            writeConfig(config).toString(),
            "--json");

    // Then exactly those are on the topic, in time order per partition, from now on
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.lastJsonLine().get("events").asLong()).isEqualTo(300);
    List<ConsumerRecord<byte[], byte[]>> written =
        CommittedRecords.readAll(KAFKA.clientConfig(), events);
    assertThat(written).hasSize(300);
    Map<Integer, Long> lastTime = new HashMap<>();
    for (var record : written) {
      UserEvent event = SchemaSerdes.userEvent().deserializer().deserialize(events, record.value());
      assertThat(event.eventTime()).isGreaterThanOrEqualTo(before);
      assertThat(event.eventTime())
          .isGreaterThanOrEqualTo(lastTime.getOrDefault(record.partition(), 0L));
      lastTime.put(record.partition(), event.eventTime());
    }
  }

  @Test
  void shouldRefuseAFileItCannotReadNamingTheLineAndField() throws Exception {
    Path export = Files.writeString(dir.resolve("bad.csv"), "userId,itemId,ts\nu1,i1,soon\n");
    Map<String, Object> config = KAFKA.appConfig("produce-bad");
    CliRun run =
        CliRun.of(
            "produce", "--file", "file:" + export, "--config", writeConfig(config).toString());
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("bad.csv:2: time (column 'ts')");
  }

  @Test
  void shouldRefuseATopicTheDeploymentHasNotCreated() throws Exception {
    Path export =
        Files.writeString(dir.resolve("ok.csv"), "userId,itemId,timestamp\nu1,i1,1700000000\n");
    Map<String, Object> config = KAFKA.appConfig("produce-nowhere");
    CliRun run =
        CliRun.of(
            "produce",
            "--file",
            "file:" + export,
            "--config",
            writeConfig(config).toString(),
            "--json");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.lastJsonLine().get("error").asText())
        .contains("does not exist: start the deployment");
  }

  private Path writeConfig(Map<String, Object> config) throws Exception {
    return ClientConfigFile.write(config, Files.createTempFile(dir, "produce", ".properties"));
  }
}
