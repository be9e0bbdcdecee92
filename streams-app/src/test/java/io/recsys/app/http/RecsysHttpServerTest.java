package io.recsys.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.metrics.MetricsPublisher;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.VocabularyConfig;
import io.recsys.schemas.Json;
import io.recsys.schemas.MetricsRecord;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint of the HTTP server, against one pipeline instance on a real broker (the same
 * {@link RecsysApp} the command line runs). The instance is shared by the tests, which only read,
 * except the last one, which loads a model.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecsysHttpServerTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();
  @TempDir static Path stateDir;

  private static final long T0 = 1_700_000_000_000L;
  private static final int USERS = 20;
  private static final int EVENTS_PER_USER = 6;
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = Json.newMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final AtomicBoolean modelLoaded = new AtomicBoolean(true);
  private static PrometheusMeterRegistry registry;
  private static RecsysApp app;
  private static RecsysHttpServer server;
  private static MetricsPublisher publisher;
  private static HttpResponse<String> readyBeforeStart;

  @BeforeAll
  static void startPipelineAndServer() throws Exception {
    Map<String, Object> config = KAFKA.appConfig("http-app");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "0");
    config.put(RecsysConfig.METRICS_INTERVAL_CONFIG, "200");
    config.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
    config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    // The model's list where it has one, popularity's elsewhere: each test knows which it gets.
    config.put(RecsysConfig.SERVING_STRATEGY_CONFIG, "model");

    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    app = RecsysApp.create(config, new PipelineMetrics(registry));
    server = RecsysHttpServer.start(app, registry, modelLoaded::get);
    readyBeforeStart = get("/ready");
    app.start();
    publisher = MetricsPublisher.start(app);
    assertThat(app.awaitRunning(WAIT)).as("streams running").isTrue();

    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(KAFKA.clientConfig(), new StringSerializer(), new StringSerializer())) {
      String topic = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
      for (int step = 0; step < EVENTS_PER_USER; step++) {
        for (int user = 0; user < USERS; user++) {
          String json =
              "{\"userId\":\"user-%d\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(user, (user * 7 + step * 3) % 31, T0 + step);
          producer.send(new ProducerRecord<>(topic, "user-" + user, json));
        }
      }
      producer.flush();
    }
    // Given every user's last event processed and a popularity ranking published: a full list,
    // since one item partition's leaderboard can arrive before the other's.
    awaitUntil(
        () -> {
          HttpResponse<String> user = get("/users/user-" + (USERS - 1));
          HttpResponse<String> unknown = get("/users/nobody/recommendations");
          return user.statusCode() == 200
              && json(user).get("eventCount").asInt() == EVENTS_PER_USER
              && unknown.statusCode() == 200
              && json(unknown).get("items").size() >= app.settings().serving().topK();
        });
  }

  @AfterAll
  static void stop() {
    // Server before app: it reads the app's stores and streams.
    if (publisher != null) {
      publisher.close();
    }
    if (server != null) {
      server.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void shouldAnswerHealthWhileTheStreamRuns() throws Exception {
    HttpResponse<String> response = get("/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("status").asText()).isEqualTo("UP");
  }

  @Test
  void shouldNotBeReadyBeforeTheStreamRuns() throws Exception {
    assertThat(readyBeforeStart.statusCode()).isEqualTo(503);
    JsonNode body = json(readyBeforeStart);
    assertThat(body.get("ready").asBoolean()).isFalse();
    assertThat(body.get("waitingFor").toString()).contains("not RUNNING");
  }

  @Test
  void shouldBeReadyOnlyWhileAModelIsLoaded() throws Exception {
    assertThat(get("/ready").statusCode()).isEqualTo(200);

    modelLoaded.set(false);
    try {
      HttpResponse<String> notReady = get("/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(json(notReady).get("waitingFor").toString()).contains("no model loaded");
    } finally {
      modelLoaded.set(true);
    }
  }

  @Test
  void shouldRecommendUnseenItemsToAKnownUser() throws Exception {
    HttpResponse<String> profile = get("/users/user-3");
    HttpResponse<String> response = get("/users/user-3/recommendations?k=5");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("json");
    JsonNode body = json(response);
    assertThat(body.get("userId").asText()).isEqualTo("user-3");
    assertThat(body.get("knownUser").asBoolean()).isTrue();
    assertThat(body.get("strategy").asText()).isEqualTo("popularity");
    assertThat(body.get("modelVersion").asText()).isEqualTo("popularity");
    assertThat(body.get("items").size()).isBetween(1, 5);
    Set<String> seen = new HashSet<>();
    json(profile).get("recentItems").forEach(item -> seen.add(item.asText()));
    body.get("items").forEach(item -> assertThat(seen).doesNotContain(item.get("itemId").asText()));
  }

  @Test
  void shouldUseTheConfiguredListLengthWhenKIsAbsent() throws Exception {
    JsonNode body = json(get("/users/nobody/recommendations"));

    assertThat(body.get("items").size()).isBetween(1, app.settings().serving().topK());
  }

  @Test
  void shouldMarkThePopularityListOfAnUnknownUser() throws Exception {
    HttpResponse<String> response = get("/users/never-seen/recommendations?k=3");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("knownUser").asBoolean()).isFalse();
    assertThat(body.get("strategy").asText()).isEqualTo("popularity");
    assertThat(body.get("items").size()).isEqualTo(3);
  }

  @Test
  void shouldRejectAMalformedKNamingTheParameter() throws Exception {
    for (String k : List.of("abc", "0", "-2", "101", "")) {
      HttpResponse<String> response = get("/users/user-1/recommendations?k=" + k);

      assertThat(response.statusCode()).as("k=%s", k).isEqualTo(400);
      assertThat(json(response).get("parameter").asText()).isEqualTo("k");
    }
  }

  @Test
  void shouldRejectABadUserIdNamingTheParameter() throws Exception {
    for (String id : List.of("x".repeat(300), "a%01b", "%20")) {
      for (String path : List.of("/users/" + id, "/users/" + id + "/recommendations")) {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).as(path).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("parameter").asText()).isEqualTo("id");
        assertThat(body.get("status").asInt()).isEqualTo(400);
      }
    }
  }

  @Test
  void shouldShowAKnownUsersRecentItemsNewestFirst() throws Exception {
    HttpResponse<String> response = get("/users/user-2");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("eventCount").asInt()).isEqualTo(EVENTS_PER_USER);
    // The last event of user 2 was on item (2*7 + 5*3) % 31 = 29.
    assertThat(body.get("recentItems").get(0).asText()).isEqualTo("item-29");
  }

  @Test
  void shouldAnswer404ForTheProfileOfAnUnknownUser() throws Exception {
    HttpResponse<String> response = get("/users/never-seen");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).get("parameter").asText()).isEqualTo("id");
  }

  @Test
  void shouldAnswer404AsJsonForAnUnknownPath() throws Exception {
    HttpResponse<String> response = get("/no/such/thing");

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void shouldExposeValidPrometheusText() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    List<String> invalid = PrometheusText.invalidLines(response.body());
    assertThat(invalid).isEmpty();
    assertThat(response.body())
        .contains("recsys_events_accepted_total")
        .contains("recsys_recommendations_total")
        .contains("recsys_events_dead_letters_total")
        .contains("recsys_recommendation_latency_seconds_bucket")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("process_cpu_usage")
        .contains("process_uptime_seconds")
        .doesNotContain("_milliseconds")
        .contains("recsys_prequential_hr10")
        .contains("recsys_model_loaded")
        .contains("kafka_stream_");
    if (System.getProperty("recsys.test.dumpMetrics") != null) {
      java.nio.file.Files.writeString(Path.of("target", "metrics-sample.txt"), response.body());
    }
    assertThat(PrometheusText.sampleValue(response.body(), "recsys_events_accepted_total"))
        .isEqualTo(USERS * EVENTS_PER_USER);
  }

  @Test
  void shouldServeTheDashboardWithItsBundledChartLibrary() throws Exception {
    HttpResponse<String> page = get("/");
    HttpResponse<String> script = get("/dashboard.js");
    HttpResponse<String> chart = get("/vendor/chart.umd.js");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("recsys dashboard").contains("/vendor/chart.umd.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(chart.statusCode()).as("chart.js bundled by the Maven build").isEqualTo(200);
    assertThat(chart.body()).contains("Chart");
  }

  @Test
  void shouldStreamMetricsRecordsFromTheMetricsTopic() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base() + "/events/metrics"))
            .timeout(WAIT)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<InputStream> response =
        HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String event = null;
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:") && "metrics".equals(event)) {
          MetricsRecord record = JSON.readValue(line.substring(5).trim(), MetricsRecord.class);
          assertThat(record.schemaVersion()).isEqualTo(MetricsRecord.SCHEMA_VERSION);
          // Earlier records (sent first, as history) may predate the test's events.
          if (record.eventsTotal() < USERS * EVENTS_PER_USER) {
            continue;
          }
          assertThat(record.eventsTotal()).isEqualTo(USERS * EVENTS_PER_USER);
          assertThat(record.prequentialPopularity()).isNotNull();
          // No model in this pipeline: model figures are absent, not zero.
          assertThat(record.prequentialModel()).isNull();
          assertThat(record.trainerLag()).isNull();
          return;
        }
      }
    }
    throw new AssertionError("the event stream ended without a metrics event");
  }

  @Test
  @Order(Integer.MAX_VALUE) // Loads a model into the shared instance: runs after the others.
  void shouldRecommendFromTheModelOnceOneIsLoaded() throws Exception {
    NextItemModel model =
        NextItemModel.create(
            new ModelConfig(
                8, 8, 10, 5, 0.0, 0.01, 1.0, 0.0, LossType.FULL_SOFTMAX, 16, 0.75, 64, 42L),
            new VocabularyConfig(64, 64, 1, 0));
    for (int item = 0; item < 31; item++) {
      model.admit("item-" + item, T0);
    }
    app.model().swap(new ModelUpdates.ModelVersion("test-v1", T0, T0), model);

    HttpResponse<String> response = get("/users/user-4/recommendations?k=4");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("knownUser").asBoolean()).isTrue();
    assertThat(body.get("strategy").asText()).isEqualTo("model");
    assertThat(body.get("modelVersion").asText()).isEqualTo("test-v1");
    assertThat(body.get("items").size()).isEqualTo(4);
    List<String> recent = new ArrayList<>();
    json(get("/users/user-4")).get("recentItems").forEach(item -> recent.add(item.asText()));
    Set<String> seen = new HashSet<>(recent);
    // The reason names the user's item that the model says most supports the top item.
    String support =
        model
            .strongestSupport(
                List.of(recent), List.of(body.get("items").get(0).get("itemId").asText()))
            .get(0);
    assertThat(seen).contains(support);
    assertThat(body.get("reason").asText()).isEqualTo("because you interacted with " + support);
    body.get("items").forEach(item -> assertThat(seen).doesNotContain(item.get("itemId").asText()));
    // An unknown user still gets the popularity list.
    assertThat(json(get("/users/never-seen/recommendations")).get("strategy").asText())
        .isEqualTo("popularity");
  }

  private static String base() {
    return "http://127.0.0.1:" + server.port();
  }

  static HttpResponse<String> get(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private interface Check {
    boolean done() throws Exception;
  }

  private static void awaitUntil(Check check) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(100);
    }
  }

  /** A strict line-by-line check of the Prometheus text exposition format 0.0.4. */
  static final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL =
        "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final String VALUE =
        "(?:[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|NaN|[+-]Inf)";
    private static final Pattern SAMPLE =
        Pattern.compile(
            NAME + "(?:\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?\\})? " + VALUE + "(?: -?\\d+)?");
    private static final Pattern HELP = Pattern.compile("# HELP " + NAME + "(?: .*)?");
    private static final Pattern TYPE =
        Pattern.compile("# TYPE " + NAME + " (?:counter|gauge|histogram|summary|untyped)");

    static List<String> invalidLines(String text) {
      List<String> invalid = new ArrayList<>();
      for (String line : text.split("\n", -1)) {
        boolean ok =
            line.isEmpty()
                || SAMPLE.matcher(line).matches()
                || HELP.matcher(line).matches()
                || TYPE.matcher(line).matches();
        if (!ok) {
          invalid.add(line);
        }
      }
      return invalid;
    }

    static double sampleValue(String text, String name) {
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      throw new AssertionError("no sample " + name);
    }
  }
}
