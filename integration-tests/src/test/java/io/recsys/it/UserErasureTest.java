package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.erasure.DeletionReports;
import io.recsys.app.http.RecsysHttpServer;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.pipeline.RecsysTopology;
import io.recsys.app.prequential.HeldLists;
import io.recsys.app.testing.Await;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.features.UserFeatures;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forgetting a user against a real broker, the way an operator does it ({@code bin/recsys forget},
 * {@code DELETE /users/{id}}): the stores, the changelogs, {@code recommendations} and {@code
 * training-examples} end with nothing of the user, other users are untouched, a restart that
 * restores every store from its changelog brings nothing back, and the user's new events start a
 * new history.
 */
class UserErasureTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final int EVENTS_PER_USER = 15;
  private static final List<String> USERS = List.of("alice", "bob", "carol");
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;

  private Map<String, Object> appConfig() {
    Map<String, Object> config = KAFKA.appConfig("erasure");
    config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "0");
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, dir.resolve("trainer").toString());
    config.put(RecsysConfig.TRAINER_BATCH_SIZE_CONFIG, "16");
    config.put(RecsysConfig.MODEL_PUBLISH_INTERVAL_CONFIG, "300");
    return config;
  }

  /** {@code count} events of {@code user} from {@code first} on, stamped now. */
  private static List<ProducerRecord<byte[], byte[]>> events(
      Map<String, Object> config, String user, int first, int count) {
    String topic = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int step = first; step < first + count; step++) {
      String json =
          "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
              .formatted(user, (user.hashCode() & 7) * 5 + step, now + step);
      records.add(new ProducerRecord<>(topic, utf8(user), utf8(json)));
    }
    return records;
  }

  @Test
  void shouldForgetAUserInEveryStoreAndTopicAndKeepOthers() throws Exception {
    Map<String, Object> config = appConfig();
    String recommendations = (String) config.get(RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG);
    String reportsTopic = (String) config.get(RecsysConfig.DELETION_REPORTS_TOPIC_CONFIG);
    Path configFile = writeConfig(config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (RecsysApp app = RecsysApp.create(config, new PipelineMetrics(registry));
        RecsysHttpServer server = RecsysHttpServer.start(app, registry, () -> true)) {
      app.start();
      // Given three users' histories, each event answered
      List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>();
      USERS.forEach(user -> all.addAll(events(config, user, 0, EVENTS_PER_USER)));
      produce(all);
      CommittedRecords.readUntil(KAFKA.clientConfig(), recommendations, all.size(), WAIT);

      // When alice is forgotten with the command line, and carol through the HTTP API
      CliRun forget =
          CliRun.of(
              "forget", "alice", "--config", configFile.toString(), "--timeout", "120", "--json");
      JsonNode summary = forget.lastJsonLine();
      DeletionReport carol;
      try (DeletionReports.Watch watch =
          new DeletionReports.Watch(KAFKA.clientConfig(), reportsTopic)) {
        HttpResponse<String> accepted =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "users/carol")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).isEqualTo(202);
        String requestId = Json.newMapper().readTree(accepted.body()).get("requestId").asText();
        List<DeletionReport> reports =
            watch.await(requestId, Set.of(DeletionReport.PIPELINE), WAIT);
        assertThat(reports).hasSize(1);
        carol = reports.get(0);
      }

      // Then both components confirmed alice's deletion, saying what they removed
      assertThat(forget.exitCode()).as(forget.out() + forget.err()).isZero();
      assertThat(summary.get("confirmed"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder(DeletionReport.PIPELINE, DeletionReport.TRAINER);
      JsonNode removed = summary.get("removed").get(DeletionReport.PIPELINE);
      assertThat(removed.get(RecsysTopology.USER_FEATURES_STORE).asLong()).isEqualTo(1);
      assertThat(removed.get(RecsysTopology.USER_SEEN_STORE).asLong()).isEqualTo(EVENTS_PER_USER);
      assertThat(removed.get(RecsysTopology.USER_HELD_LISTS_STORE).asLong()).isEqualTo(1);
      assertThat(forget.out()).doesNotContain("alice");
      assertThat(carol.removed()).containsEntry(RecsysTopology.USER_FEATURES_STORE, 1L);

      // And no store holds anything of alice or carol; bob keeps everything
      assertForgotten(app.streams(), "alice", "carol");
      assertThat(features(app.streams()).get("bob").eventCount()).isEqualTo(EVENTS_PER_USER);
      // And each topic that held them ends with tombstones, bob's keys do not
      String applicationId = (String) config.get(StreamsConfig.APPLICATION_ID_CONFIG);
      for (String store :
          List.of(
              RecsysTopology.USER_FEATURES_STORE,
              RecsysTopology.USER_SEEN_STORE,
              RecsysTopology.USER_HELD_LISTS_STORE)) {
        Map<String, byte[]> last = lastValues(applicationId + "-" + store + "-changelog");
        assertEndsWithTombstones(last, "alice", store);
        assertEndsWithTombstones(last, "carol", store);
        assertThat(last)
            .as(store)
            .hasEntrySatisfying(keyOf(last, "bob"), v -> assertThat(v).isNotNull());
      }
      Map<String, byte[]> lists = lastValues(recommendations);
      assertThat(lists).containsEntry("alice", null).containsEntry("carol", null);
      assertThat(lists.get("bob")).isNotNull();
      Map<String, byte[]> examples =
          lastValues((String) config.get(RecsysConfig.TRAINING_EXAMPLES_TOPIC_CONFIG));
      assertThat(examples).containsEntry("alice", null);
    }

    // When the instance restarts with its local state gone, restoring every store from Kafka
    Utils.delete(dir.resolve("state").toFile());
    try (RecsysApp app = RecsysApp.start(config)) {
      Await.until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
      // Then nothing of the forgotten users comes back, and bob is whole
      Await.until(() -> featuresOrNull(app.streams(), "bob") != null);
      assertForgotten(app.streams(), "alice", "carol");
      assertThat(features(app.streams()).get("bob").eventCount()).isEqualTo(EVENTS_PER_USER);

      // When alice comes back, her new events start a new history
      produce(events(config, "alice", 100, 2));
      Await.until(
          () -> {
            UserFeatures f = featuresOrNull(app.streams(), "alice");
            return f != null && f.eventCount() == 2;
          });
      assertThat(features(app.streams()).get("alice").recentItems()).hasSize(2);
    }
  }

  private static void assertForgotten(KafkaStreams streams, String... users) {
    for (String user : users) {
      assertThat(features(streams).get(user)).as("features of %s", user).isNull();
      ReadOnlyKeyValueStore<String, Long> seen = store(streams, RecsysTopology.USER_SEEN_STORE);
      ReadOnlyKeyValueStore<String, HeldLists> held =
          store(streams, RecsysTopology.USER_HELD_LISTS_STORE);
      assertThat(keys(seen, key -> key.startsWith(user + '\u0000')))
          .as("seen of %s", user)
          .isEmpty();
      assertThat(held.get(user)).as("held lists of %s", user).isNull();
    }
  }

  private static void assertEndsWithTombstones(
      Map<String, byte[]> last, String user, String store) {
    List<String> keys =
        last.keySet().stream()
            .filter(k -> k.equals(user) || k.startsWith(user + '\u0000'))
            .toList();
    assertThat(keys).as("%s keys of %s on the changelog", store, user).isNotEmpty();
    keys.forEach(k -> assertThat(last.get(k)).as("last %s record of %s", store, k).isNull());
  }

  private static String keyOf(Map<String, byte[]> last, String user) {
    return last.keySet().stream()
        .filter(k -> k.equals(user) || k.startsWith(user + '\u0000'))
        .findFirst()
        .orElseThrow();
  }

  /** The last value per key of {@code topic} (null for a tombstone), keys as UTF-8. */
  private static Map<String, byte[]> lastValues(String topic) {
    Map<String, byte[]> last = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record :
        CommittedRecords.readAll(KAFKA.clientConfig(), topic)) {
      if (record.key() != null) {
        last.put(new String(record.key(), StandardCharsets.UTF_8), record.value());
      }
    }
    return last;
  }

  private static <V> List<String> keys(
      ReadOnlyKeyValueStore<String, V> store, Predicate<String> wanted) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, V> all = store.all()) {
      all.forEachRemaining(
          (KeyValue<String, V> e) -> {
            if (wanted.test(e.key)) {
              keys.add(e.key);
            }
          });
    }
    return keys;
  }

  private static ReadOnlyKeyValueStore<String, UserFeatures> features(KafkaStreams streams) {
    return store(streams, RecsysTopology.USER_FEATURES_STORE);
  }

  private static UserFeatures featuresOrNull(KafkaStreams streams, String user) {
    try {
      return features(streams).get(user);
    } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
      return null;
    }
  }

  private static <V> ReadOnlyKeyValueStore<String, V> store(KafkaStreams streams, String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore()));
  }

  private Path writeConfig(Map<String, Object> config) throws Exception {
    return ClientConfigFile.write(config, dir.resolve("forget.properties"));
  }

  private static void produce(List<ProducerRecord<byte[], byte[]>> records) {
    try (var producer =
        new KafkaProducer<>(
            KAFKA.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      records.forEach(producer::send);
      producer.flush();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
