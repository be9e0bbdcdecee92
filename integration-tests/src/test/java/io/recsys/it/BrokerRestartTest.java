package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker goes away for 30 s (SIGKILL of its JVM) and comes back on the same data directory: the
 * pipeline, the trainer and the model follower carry on without a restart of the application, and
 * under exactly_once_v2 every event has exactly one committed recommendation.
 */
class BrokerRestartTest {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartTest.class);
  private static final long T0 = 1_700_000_000_000L;
  private static final int USERS = 50;
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  private static final Duration BROKER_START_TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts a broker JVM and waits until it serves; tries again a few times, since a port the killed
   * broker held can take a moment to be free again.
   */
  private Process startBroker(Path data, int port, int controllerPort, String log)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      Path logFile = dir.resolve(log + "." + attempt);
      Process process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx512m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  BrokerProcess.class.getName(),
                  data.toString(),
                  Integer.toString(port),
                  Integer.toString(controllerPort))
              .redirectError(logFile.toFile())
              .start();
      // A start that hangs (seen: a restarted broker that never served again, the test then
      // waiting on its consumers for good) is killed after the timeout and tried again; each
      // attempt's log stays in the test's directory.
      CompletableFuture<String> status = CompletableFuture.supplyAsync(() -> statusLine(process));
      String line;
      try {
        line = status.get(BROKER_START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        line = "no READY within " + BROKER_START_TIMEOUT;
      }
      if (line != null && line.startsWith("READY")) {
        return process;
      }
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      String written = Files.readString(logFile);
      assertThat(attempt)
          .as(
              "broker start failed: %s (%s ends: %s)",
              line, logFile, written.substring(Math.max(0, written.length() - 4000)))
          .isLessThan(5);
      Thread.sleep(2000);
    }
  }

  /** The broker process's READY or FAILED line, or null when its output ends without one. */
  private static String statusLine(Process process) {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = out.readLine()) != null
          && !line.startsWith("READY")
          && !line.startsWith("FAILED")) {
        // Broker start-up output, if any.
      }
      return line;
    } catch (IOException e) {
      return "FAILED reading the broker's output: " + e;
    }
  }

  private static void produce(KafkaProducer<String, String> producer, String topic, int step) {
    for (int user = 0; user < USERS; user++) {
      String userId = "user-" + user;
      producer.send(
          new ProducerRecord<>(
              topic,
              userId,
              "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(userId, (user * 7 + step * 3) % 61, T0 + step)));
    }
  }

  /** Event (user@time) to the number of committed recommendations for it. */
  private static Map<String, Integer> committed(Map<String, Object> client, String topic) {
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Integer> perEvent = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          Recommendation r =
              SchemaSerdes.recommendation().deserializer().deserialize(topic, record.value());
          perEvent.merge(r.userId() + "@" + r.eventTime(), 1, Integer::sum);
        }
      }
    }
    return perEvent;
  }

  private static void awaitAnswered(
      Map<String, Object> client, String topic, int events, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (committed(client, topic).size() < events && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
  }

  @Test
  void shouldCarryOnAfterTheBrokerIsGoneForThirtySeconds() throws Exception {
    // Given a broker in its own JVM and the whole pipeline, exactly-once, on it
    Path data = dir.resolve("broker");
    int port = freePort();
    int controllerPort = freePort();
    Process broker = startBroker(data, port, controllerPort, "broker-1.log");
    Map<String, Object> client = Map.of("bootstrap.servers", "localhost:" + port);
    Map<String, Object> config = new HashMap<>(client);
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "restart");
    config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, dir.resolve("trainer").toString());
    String events = "events";
    String recommendations = "recommendations";
    try (Admin admin = Admin.create(client)) {
      admin.createTopics(List.of(new NewTopic(events, 2, (short) 1))).all().get();
    }
    Map<String, Object> producerConfig = new HashMap<>(client);
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
    try (RecsysApp app = RecsysApp.start(config);
        var producer =
            new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      for (int step = 0; step < 20; step++) {
        produce(producer, events, step);
      }
      producer.flush();
      awaitAnswered(client, recommendations, 20 * USERS, Duration.ofMinutes(3));
      String versionBefore = app.model().get().map(m -> m.version().version()).orElse("none");

      // When the broker is killed, stays away for 30 s while events keep arriving at the
      // producer, and comes back on the same data directory
      broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      // From another thread: a send blocks while the producer has no metadata for the topic, and
      // sent from here it held the restart back by minutes (an outage far longer than 30 s).
      CompletableFuture<Void> duringOutage =
          CompletableFuture.runAsync(
              () -> {
                for (int step = 20; step < 30; step++) {
                  produce(producer, events, step);
                }
              });
      Thread.sleep(OUTAGE.toMillis());
      broker = startBroker(data, port, controllerPort, "broker-2.log");
      duringOutage.get(5, TimeUnit.MINUTES);
      for (int step = 30; step < 50; step++) {
        produce(producer, events, step);
      }
      producer.flush();

      // Then every event has exactly one committed recommendation, the application never
      // restarted, and the model kept learning
      awaitAnswered(client, recommendations, 50 * USERS, Duration.ofMinutes(4));
      Thread.sleep(3000); // let any duplicate that would wrongly follow arrive
      Map<String, Integer> perEvent = committed(client, recommendations);
      assertThat(perEvent).as("events with a recommendation").hasSize(50 * USERS);
      assertThat(perEvent.values()).as("recommendations per event").allMatch(n -> n == 1);
      // A rebalance after the outage (a thread fenced, its tasks restored from the changelogs)
      // can still be under way: the client must get back to RUNNING by itself.
      long rebalanceStart = System.nanoTime();
      long runningDeadline = rebalanceStart + Duration.ofMinutes(3).toNanos();
      while (app.streams().state() != KafkaStreams.State.RUNNING
          && app.streams().state().isRunningOrRebalancing()
          && System.nanoTime() < runningDeadline) {
        Thread.sleep(200);
      }
      LOG.info(
          "Back to RUNNING {} ms after every event was answered",
          (System.nanoTime() - rebalanceStart) / 1_000_000);
      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(app.trainer()).hasValueSatisfying(t -> assertThat(t.failure()).isNull());
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (app.model().get().map(m -> m.version().version()).orElse("none").equals(versionBefore)
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(app.model().get().map(m -> m.version().version()).orElse("none"))
          .as("a model version published after the outage reached serving")
          .isNotEqualTo(versionBefore);
    } finally {
      broker.getOutputStream().close();
      if (!broker.waitFor(60, TimeUnit.SECONDS)) {
        broker.destroyForcibly();
      }
    }
  }
}
