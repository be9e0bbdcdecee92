package io.recsys.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances with a standby replica each: when the instance that owns a user stops answering,
 * and then leaves, the other keeps answering for that user from its standby copy (marked stale),
 * never with a server error, and answers fresh again once it has taken the partitions over.
 */
class FailoverQueryTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final int USERS = 16;
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = Json.newMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path stateA;
  @TempDir Path stateB;

  @Test
  void shouldAnswerFromTheStandbyWhileTheOwnerIsDownAndNeverFailARequest() throws Exception {
    Map<String, Object> shared = KAFKA.appConfig("failover-query");
    shared.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "4");
    shared.put(RecsysConfig.HTTP_PORT_CONFIG, "0");
    shared.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    shared.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");

    // Given two instances, each holding the other's tasks as standbys, and every user's history
    PrometheusMeterRegistry registryA = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusMeterRegistry registryB = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RecsysApp b = RecsysApp.create(config(shared, stateB), new PipelineMetrics(registryB));
    RecsysHttpServer serverB = RecsysHttpServer.start(b, registryB, () -> true);
    try (RecsysApp a = RecsysApp.create(config(shared, stateA), new PipelineMetrics(registryA));
        RecsysHttpServer serverA = RecsysHttpServer.start(a, registryA, () -> true)) {
      a.start();
      b.start();
      TwoInstances.produceViews(
          KAFKA, (String) shared.get(RecsysConfig.EVENTS_TOPIC_CONFIG), USERS, 2, 7);
      TwoInstances.await(TwoInstances.HOLDS_TASKS_AND_STANDBYS, WAIT, a, b);
      List<String> ownedByB = new ArrayList<>();
      for (int user = 0; user < USERS; user++) {
        JsonNode fresh = awaitAnswer(serverA, user, false);
        if (fresh.get("servedBy").asText().equals("localhost:" + serverB.port())) {
          ownedByB.add("user-" + user);
        }
        assertThat(fresh.get("stale").asBoolean()).isFalse();
      }
      assertThat(ownedByB).as("B owns some users").isNotEmpty();
      List<Integer> statuses = new ArrayList<>();

      // When B's API stops answering while B still owns its partitions
      serverB.close();

      // Then A answers for B's users from its standby copy, saying so
      for (String user : ownedByB) {
        JsonNode standby = awaitAnswer(serverA, Integer.parseInt(user.substring(5)), true);
        assertThat(standby.get("servedBy").asText()).isEqualTo("localhost:" + serverA.port());
        assertThat(standby.get("knownUser").asBoolean()).isTrue();
        assertThat(standby.get("items")).hasSize(2);
      }

      // And when B leaves, A takes its partitions over: every request on the way is answered
      b.close();
      b = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      boolean allFresh = false;
      while (!allFresh) {
        allFresh = true;
        for (String user : ownedByB) {
          HttpResponse<String> response = get(serverA, "/users/" + user + "/recommendations?k=2");
          statuses.add(response.statusCode());
          allFresh &=
              response.statusCode() == 200
                  && !JSON.readTree(response.body()).get("stale").asBoolean();
        }
        assertThat(System.nanoTime()).as("A answers fresh in time").isLessThan(deadline);
      }
      assertThat(statuses).as("no request failed during the handover").allMatch(s -> s == 200);
    } finally {
      if (b != null) {
        b.close();
      }
    }
  }

  private static Map<String, Object> config(Map<String, Object> shared, Path stateDir) {
    Map<String, Object> config = new HashMap<>(shared);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return config;
  }

  /** Waits for a 200 with a known user whose {@code stale} flag is {@code stale}. */
  private static JsonNode awaitAnswer(RecsysHttpServer server, int user, boolean stale)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      HttpResponse<String> response = get(server, "/users/user-" + user + "/recommendations?k=2");
      assertThat(response.statusCode()).as("user-%d", user).isLessThan(500);
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() == 200
          && body.get("knownUser").asBoolean()
          && body.get("items").size() == 2
          && body.get("stale").asBoolean() == stale) {
        return body;
      }
      assertThat(System.nanoTime()).as("user-%d answered in time", user).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static HttpResponse<String> get(RecsysHttpServer server, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
