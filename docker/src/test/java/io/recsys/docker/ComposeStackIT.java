package io.recsys.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recsys.schemas.Json;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compose stack of {@code docker-compose.yml} as a user starts it (broker, trainer, two serving
 * instances; Prometheus and Grafana are left out, their images being optional here), with the image
 * built from this checkout: events fed from the host get recommendations from both serving
 * instances, the query API forwards to the instance that owns a user, and when one serving
 * container is killed the other takes its partitions with no event left without a recommendation.
 *
 * <p>Runs where a Docker engine answers and the base images are there or can be pulled; skipped
 * with the reason elsewhere. {@code RECSYS_BASE_IMAGE} and {@code RECSYS_KAFKA_IMAGE} name local
 * images where no registry is reachable ({@code docker/local/build-base-images}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {
  private static final Logger LOG = LoggerFactory.getLogger(ComposeStackIT.class);
  private static final String IMAGE = "recsys:compose-test";
  private static final Duration STARTUP = Duration.ofMinutes(8);
  private static final Duration DELIVERY = Duration.ofMinutes(4);
  private static final int USERS = 120;
  private static final ObjectMapper JSON = Json.newMapper();

  private static ComposeStack stack;
  private static long upStart;
  private static boolean prometheus;
  private static Map<String, Integer> ports;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  // Every (user, event time) fed so far: each must get its recommendation record.
  private static final Set<String> FED = new HashSet<>();
  private static long nextEventTime;
  // Which serving instance answered for each user before the kill, from the query API.
  private static final Map<String, String> OWNER = new HashMap<>();

  @BeforeAll
  static void startStack() throws Exception {
    assumeTrue(
        ComposeStack.engineAnswers(),
        "No Docker engine answers `docker info`: the compose stack tests are skipped"
            + " (docker/README.md says how to start one)");
    String base = env("RECSYS_BASE_IMAGE", "eclipse-temurin:17-jre");
    String kafka = env("RECSYS_KAFKA_IMAGE", "apache/kafka:4.3.1");
    for (String image : List.of(base, kafka)) {
      assumeTrue(
          ComposeStack.imageAvailable(image),
          "Image "
              + image
              + " is neither on this Docker engine nor pullable: the compose stack tests are"
              + " skipped (where no registry is reachable, build local ones with"
              + " docker/local/build-base-images and set RECSYS_BASE_IMAGE and"
              + " RECSYS_KAFKA_IMAGE)");
    }
    Path module = Path.of("").toAbsolutePath();
    long buildStart = System.nanoTime();
    ComposeStack.build(module, IMAGE, Map.of("BASE_IMAGE", base));
    LOG.info("Built {} from {} in {} s", IMAGE, base, seconds(buildStart));

    ports = new HashMap<>();
    for (String name :
        List.of(
            "RECSYS_KAFKA_PORT",
            "RECSYS_TRAINER_PORT",
            "RECSYS_SERVING_1_PORT",
            "RECSYS_SERVING_2_PORT",
            "RECSYS_PROMETHEUS_PORT")) {
      ports.put(name, freePort());
    }
    // Prometheus only where its image is at hand: the pipeline's tests do not need it.
    String prometheusImage = env("PROMETHEUS_IMAGE", "prom/prometheus:v3.5.0");
    prometheus = ComposeStack.imageAvailable(prometheusImage);
    Map<String, String> environment = new HashMap<>();
    ports.forEach((k, v) -> environment.put(k, String.valueOf(v)));
    environment.put("RECSYS_IMAGE", IMAGE);
    environment.put("RECSYS_KAFKA_IMAGE", kafka);
    environment.put("PROMETHEUS_IMAGE", prometheusImage);
    stack = new ComposeStack(module.resolve("docker-compose.yml"), "recsys-it", environment);
    stack.run("down", "-v", "--remove-orphans"); // leftovers of an interrupted run
    upStart = System.nanoTime();
    List<String> up =
        new ArrayList<>(List.of("up", "-d", "kafka", "trainer", "serving-1", "serving-2"));
    if (prometheus) {
      up.add("prometheus");
    }
    stack.run(up.toArray(String[]::new));
    awaitStatus(servingUrl(1) + "/health", 200, STARTUP);
    awaitStatus(servingUrl(2) + "/health", 200, STARTUP);
    LOG.info("Compose stack up (both serving instances answer) in {} s", seconds(upStart));
  }

  // A failure's diagnosis is in the containers' logs, which CI keeps only from the test output.
  private static volatile boolean failed;

  @RegisterExtension
  static final TestWatcher FAILURES =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          failed = true;
        }
      };

  @AfterAll
  static void stopStack() throws IOException {
    if (stack == null) {
      return;
    }
    Path logs = Path.of("target", "compose-stack.log");
    String text = stack.logs();
    Files.writeString(logs, text);
    LOG.info("Every container's log in {}", logs.toAbsolutePath());
    if (failed) {
      System.err.println("--- container logs after a failure ---\n" + text);
    }
    stack.run("down", "-v", "--remove-orphans");
  }

  @Test
  @Order(1)
  void eventsGetRecommendationsFromBothServingInstances() throws Exception {
    long start = System.nanoTime();
    feed(1_500, new Random(1));
    assertThat(missingRecommendations(DELIVERY)).as("events without a recommendation").isEmpty();
    LOG.info(
        "First {} events all recommended {} s after the feed began, {} s after `up`",
        FED.size(),
        seconds(start),
        seconds(upStart));

    double first = recommendationsPublished(servingUrl(1));
    double second = recommendationsPublished(servingUrl(2));
    assertThat(first).as("recommendations published by serving-1").isPositive();
    assertThat(second).as("recommendations published by serving-2").isPositive();
    assertThat(recommendationsPublished(url("RECSYS_TRAINER_PORT")))
        .as("the trainer instance runs no stream threads")
        .isZero();
    // The image's health check (/ready) passes once a model serves.
    for (String service : List.of("trainer", "serving-1", "serving-2")) {
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!stack.health(service).equals("healthy") && System.nanoTime() < deadline) {
        Thread.sleep(1_000);
      }
      assertThat(stack.health(service)).as(service + "'s health").isEqualTo("healthy");
    }
  }

  @Test
  @Order(2)
  void queryApiAnswersForUsersOwnedByTheOtherInstance() throws Exception {
    for (int u = 0; u < USERS; u++) {
      JsonNode answer = recommendations(servingUrl(1), user(u));
      OWNER.put(user(u), answer.get("servedBy").asText());
      assertThat(answer.get("items")).as("items for " + user(u)).isNotEmpty();
    }
    assertThat(OWNER.values()).contains("serving-1:8080", "serving-2:8080");
    // The other way round: serving-2 forwards to serving-1 for the users serving-1 owns.
    String ownedByFirst = userOwnedBy("serving-1:8080");
    JsonNode forwarded = recommendations(servingUrl(2), ownedByFirst);
    assertThat(forwarded.get("servedBy").asText()).isEqualTo("serving-1:8080");
    assertThat(forwarded.get("knownUser").asBoolean()).isTrue();
  }

  @Test
  @Order(3)
  void prometheusScrapesEveryInstance() throws Exception {
    assumeTrue(prometheus, "no Prometheus image at hand (PROMETHEUS_IMAGE)");
    String targets = url("RECSYS_PROMETHEUS_PORT") + "/api/v1/targets";
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    Map<String, String> health = Map.of();
    while (System.nanoTime() < deadline) {
      try {
        health = new HashMap<>();
        for (JsonNode target : JSON.readTree(get(targets).body()).at("/data/activeTargets")) {
          health.put(target.at("/labels/instance").asText(), target.get("health").asText());
        }
        if (health.size() == 3 && health.values().stream().allMatch("up"::equals)) {
          break;
        }
      } catch (IOException e) {
        // Not answering yet.
      }
      Thread.sleep(1_000);
    }
    assertThat(health)
        .containsEntry("trainer:8080", "up")
        .containsEntry("serving-1:8080", "up")
        .containsEntry("serving-2:8080", "up");
  }

  @Test
  @Order(4)
  void killingAServingContainerMovesItsPartitionsToTheOther() throws Exception {
    assumeTrue(!OWNER.isEmpty(), "needs the owners the query test found");
    long killed = System.nanoTime();
    stack.run("kill", "-s", "SIGKILL", "serving-2");
    feed(1_000, new Random(2));
    assertThat(missingRecommendations(DELIVERY))
        .as("events without a recommendation after serving-2 was killed")
        .isEmpty();
    LOG.info("Every event fed after the kill recommended {} s after it", seconds(killed));

    String movedUser = userOwnedBy("serving-2:8080");
    JsonNode answer = recommendations(servingUrl(1), movedUser);
    assertThat(answer.get("servedBy").asText()).isEqualTo("serving-1:8080");
    assertThat(answer.get("knownUser").asBoolean()).isTrue();
  }

  /** A user the query test found owned by {@code instance} (its {@code application.server}). */
  private static String userOwnedBy(String instance) {
    return OWNER.entrySet().stream()
        .filter(e -> e.getValue().equals(instance))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no user owned by " + instance + ": " + OWNER))
        .getKey();
  }

  /** Writes {@code count} click events of the test's users to the events topic. */
  private static void feed(int count, Random random) {
    // Stamped now: the trainer skips examples older than its freshness bound (one minute), and
    // building the image and starting the stack can take longer than that.
    nextEventTime = Math.max(nextEventTime, System.currentTimeMillis());
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(
            config, new StringSerializer(), SchemaSerdes.userEvent().serializer())) {
      for (int i = 0; i < count; i++) {
        String user = user(random.nextInt(USERS));
        long time = nextEventTime++;
        // Users drift through a 200-item catalogue in small steps: some sequence to learn.
        String item = "item-" + ((user.hashCode() & 0xff) + i / 7 + random.nextInt(5)) % 200;
        producer.send(
            new ProducerRecord<>(
                "events", null, time, user, new UserEvent(user, item, "click", null, time)));
        FED.add(user + "@" + time);
      }
      producer.flush();
    }
  }

  /** The fed events with no recommendation record for their (user, event time) by the timeout. */
  private static Set<String> missingRecommendations(Duration timeout) {
    Set<String> missing = new HashSet<>(FED);
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    var deserializer = SchemaSerdes.recommendation().deserializer();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor("recommendations")
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!missing.isEmpty() && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(500))) {
          Recommendation rec = deserializer.deserialize(record.topic(), record.value());
          missing.remove(rec.userId() + "@" + rec.eventTime());
        }
      }
    }
    return missing;
  }

  private static JsonNode recommendations(String baseUrl, String user) throws Exception {
    HttpResponse<String> response = get(baseUrl + "/users/" + user + "/recommendations");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** The instance's {@code recsys_recommendations_total}. */
  private static double recommendationsPublished(String baseUrl) throws Exception {
    HttpResponse<String> response = get(baseUrl + "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    Matcher m =
        Pattern.compile("(?m)^recsys_recommendations_total(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(response.body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static void awaitStatus(String url, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<String> last = Optional.empty();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = get(url);
        if (response.statusCode() == status) {
          return;
        }
        last = Optional.of(response.statusCode() + " " + response.body());
      } catch (IOException e) {
        last = Optional.of(e.toString());
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError(
        url + " did not answer " + status + " within " + timeout + "; last: " + last.orElse("-"));
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String servingUrl(int instance) {
    return url("RECSYS_SERVING_" + instance + "_PORT");
  }

  private static String url(String portVariable) {
    return "http://localhost:" + ports.get(portVariable);
  }

  private static String bootstrap() {
    return "localhost:" + ports.get("RECSYS_KAFKA_PORT");
  }

  private static String user(int u) {
    return "user-" + u;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value.strip();
  }

  private static long seconds(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 1e9);
  }
}
