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
import io.recsys.app.testing.TestKeystores;
import io.recsys.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two instances of one application: either answers for every user, forwarding to the owner. */
class KeyForwardingTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final int USERS = 12;
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = Json.newMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path stateA;
  @TempDir Path stateB;

  private Map<String, Object> config(Map<String, Object> shared, Path stateDir) {
    Map<String, Object> config = new HashMap<>(shared);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return config;
  }

  @Test
  void shouldAnswerForUsersOwnedByTheOtherInstanceByForwarding() throws Exception {
    answersForEveryUserThroughOneInstance("forwarding", Map.of(), HTTP, "http", null);
  }

  @Test
  void shouldForwardOverHttpsWithTheTokenWhenBothAreRequired() throws Exception {
    Path keystore = TestKeystores.selfSigned(stateA, "shared");
    answersForEveryUserThroughOneInstance(
        "forwarding-secured",
        Map.of(
            RecsysConfig.HTTP_AUTH_TOKEN_CONFIG,
            "t0ken",
            RecsysConfig.HTTP_TLS_KEYSTORE_CONFIG,
            keystore.toString(),
            RecsysConfig.HTTP_TLS_KEYSTORE_PASSWORD_CONFIG,
            TestKeystores.PASSWORD),
        HttpClient.newBuilder().sslContext(TestKeystores.trusting(keystore)).build(),
        "https",
        "Bearer t0ken");
  }

  private void answersForEveryUserThroughOneInstance(
      String name, Map<String, String> http, HttpClient client, String scheme, String authorization)
      throws Exception {
    Map<String, Object> shared = KAFKA.appConfig(name);
    shared.putAll(http);
    shared.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "4");
    shared.put(RecsysConfig.HTTP_PORT_CONFIG, "0");
    shared.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    shared.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");

    // Given two instances of the same application, each with its own HTTP server
    PrometheusMeterRegistry registryA = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusMeterRegistry registryB = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (RecsysApp a = RecsysApp.create(config(shared, stateA), new PipelineMetrics(registryA));
        RecsysApp b = RecsysApp.create(config(shared, stateB), new PipelineMetrics(registryB));
        RecsysHttpServer serverA = RecsysHttpServer.start(a, registryA, () -> true);
        RecsysHttpServer serverB = RecsysHttpServer.start(b, registryB, () -> true)) {
      a.start();
      b.start();
      TwoInstances.produceViews(
          KAFKA, (String) shared.get(RecsysConfig.EVENTS_TOPIC_CONFIG), USERS, 1, 5);
      TwoInstances.await(TwoInstances.HOLDS_TASKS, WAIT, a, b);

      // When every user is asked of instance A, then every answer is a known user's, and
      // instance B answered those it owns
      Set<String> servedBy = new HashSet<>();
      long deadline = System.nanoTime() + WAIT.toNanos();
      for (int user = 0; user < USERS; user++) {
        JsonNode body = null;
        while (body == null) {
          HttpResponse<String> response =
              get(
                  client,
                  scheme,
                  authorization,
                  serverA,
                  "/users/user-" + user + "/recommendations?k=2");
          // 503 while a rebalance is still settling; 200 with knownUser once processed.
          if (response.statusCode() == 200
              && JSON.readTree(response.body()).get("knownUser").asBoolean()) {
            body = JSON.readTree(response.body());
          } else {
            assertThat(System.nanoTime()).as("user-%d answered in time", user).isLessThan(deadline);
            Thread.sleep(100);
          }
        }
        servedBy.add(body.get("servedBy").asText());
      }
      assertThat(servedBy)
          .containsExactlyInAnyOrder("localhost:" + serverA.port(), "localhost:" + serverB.port());
    }
  }

  private static HttpResponse<String> get(
      HttpClient client, String scheme, String authorization, RecsysHttpServer server, String path)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + server.port() + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
