package io.recsys.app.testing;

import io.recsys.app.broker.EmbeddedKafkaBroker;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.kafka.TopicCreation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A JUnit 5 extension that gives tests a real single-node Kafka cluster: Testcontainers' Kafka
 * container when a Docker engine is reachable, otherwise an {@link EmbeddedKafkaBroker} in the test
 * JVM (the usual case on CI and on development machines without Docker).
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();
 * }</pre>
 *
 * <p>In a static field the cluster is started once before all tests of the class (and its
 * {@code @Nested} classes) and stopped after them; tests sharing it should use their own topics,
 * for example from {@link #uniqueTopicName(String)}. In an instance field every test gets a fresh
 * cluster.
 *
 * <p>The system property {@value #MODE_PROPERTY} forces a kind: {@code embedded}, {@code
 * container}, or {@code auto} (the default). {@value #IMAGE_PROPERTY} (or the environment variable
 * {@value #IMAGE_ENV}, which the compose file reads too) overrides the container image, default
 * {@value #DEFAULT_IMAGE}; where no registry is reachable, {@code docker/local/build-base-images}
 * builds a compatible one.
 *
 * <p>Stopping order: the extension stops the cluster after the tests' own {@code @AfterEach} and
 * {@code @AfterAll} methods, so tests must close their clients and Streams applications there (or
 * in try-with-resources) while the broker still runs.
 */
public final class KafkaCluster
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

  /** System property that picks the kind of cluster: auto, embedded or container. */
  public static final String MODE_PROPERTY = "recsys.test.kafka";

  /** System property that overrides the container image. */
  public static final String IMAGE_PROPERTY = "recsys.test.kafka.image";

  /** Environment variable that overrides the container image (below the system property). */
  public static final String IMAGE_ENV = "RECSYS_KAFKA_IMAGE";

  /** The official image of the Kafka version the project builds against. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.3.1";

  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  /** Where a cluster runs. */
  public enum Kind {
    EMBEDDED,
    CONTAINER
  }

  private final Optional<Kind> forcedKind;
  private final AtomicInteger topicCounter = new AtomicInteger();
  // Set while a cluster runs; the owner is the unique id of the extension context that started it,
  // so that a @Nested class's callbacks neither start a second cluster nor stop the outer one.
  private Backend backend;
  private String owner;

  private KafkaCluster(Optional<Kind> forcedKind) {
    this.forcedKind = forcedKind;
  }

  /** A cluster of the kind {@value #MODE_PROPERTY} asks for, by default whichever is available. */
  public static KafkaCluster create() {
    String mode = System.getProperty(MODE_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "auto", "" -> new KafkaCluster(Optional.empty());
      case "embedded" -> new KafkaCluster(Optional.of(Kind.EMBEDDED));
      case "container" -> new KafkaCluster(Optional.of(Kind.CONTAINER));
      default ->
          throw new IllegalArgumentException(
              MODE_PROPERTY + " must be auto, embedded or container, got '" + mode + "'");
    };
  }

  /** Always the in-JVM broker, for tests that need {@link #restart()}. */
  public static KafkaCluster embedded() {
    return new KafkaCluster(Optional.of(Kind.EMBEDDED));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    startIfStopped(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    startIfStopped(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    stopIfOwner(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopIfOwner(context);
  }

  /** The {@code bootstrap.servers} value for clients. */
  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  /** A client configuration that reaches the cluster; add serdes and group ids to a copy. */
  public Map<String, Object> clientConfig() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** Which kind of cluster runs. */
  public Kind kind() {
    return running().kind();
  }

  /** Creates the topics that do not exist yet and waits until all their partitions have leaders. */
  public void createTopics(Collection<NewTopic> topics) {
    try (Admin admin = Admin.create(clientConfig())) {
      TopicCreation.createAndAwait(admin, topics, TOPIC_TIMEOUT);
    }
  }

  /** Creates one topic with replication factor 1 and waits until it is usable. */
  public void createTopic(String name, int partitions) {
    createTopics(List.of(new NewTopic(name, partitions, (short) 1)));
  }

  /** A topic name no other test of this cluster got, such as {@code events-3}. */
  public String uniqueTopicName(String prefix) {
    return prefix + "-" + topicCounter.incrementAndGet();
  }

  /**
   * The configuration of a pipeline of its own on this cluster: {@code bootstrap.servers}, a unique
   * {@code application.id} and unique names for every {@code recsys.topic.*} topic, so that tests
   * sharing the cluster never see each other's records. Tests add what they need.
   */
  public Map<String, Object> appConfig(String name) {
    Map<String, Object> config = new HashMap<>();
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, uniqueTopicName(name));
    for (String key : RecsysConfig.CONFIG_DEF.names()) {
      boolean topicName =
          key.startsWith("recsys.topic.")
              && RecsysConfig.CONFIG_DEF.configKeys().get(key).type == ConfigDef.Type.STRING;
      if (topicName) {
        config.put(key, uniqueTopicName(name + "-" + key.substring("recsys.topic.".length())));
      }
    }
    return config;
  }

  /** Whether {@link #restart()} is supported: true for the embedded broker only. */
  public boolean supportsRestart() {
    return running().kind() == Kind.EMBEDDED;
  }

  /**
   * Stops the broker and starts it again on the same storage and address: topics, records and
   * committed offsets survive, and clients may keep their bootstrap servers (they reconnect).
   *
   * @throws UnsupportedOperationException for a container, whose restart would change its port;
   *     guard with {@code assumeTrue(KAFKA.supportsRestart())}
   */
  public void restart() {
    running().restart();
  }

  private Backend running() {
    if (backend == null) {
      throw new IllegalStateException(
          "The Kafka cluster is not running; register it with @RegisterExtension");
    }
    return backend;
  }

  private void startIfStopped(ExtensionContext context) {
    if (backend != null) {
      return;
    }
    Kind kind = forcedKind.orElseGet(KafkaCluster::availableKind);
    backend = kind == Kind.CONTAINER ? startContainer() : new EmbeddedBackend();
    owner = context.getUniqueId();
    LOG.info("Kafka cluster for {}: {} at {}", owner, backend.kind(), backend.bootstrapServers());
  }

  private Backend startContainer() {
    try {
      return new ContainerBackend(image());
    } catch (RuntimeException | LinkageError e) {
      if (forcedKind.isPresent()) {
        throw e;
      }
      // Docker answers but cannot run the image (offline CI, no pull rights): the embedded broker
      // still gives the tests a real Kafka.
      LOG.warn("Cannot start the Kafka container {}, using the embedded broker", image(), e);
      return new EmbeddedBackend();
    }
  }

  private void stopIfOwner(ExtensionContext context) {
    if (backend == null || !context.getUniqueId().equals(owner)) {
      return;
    }
    try {
      backend.close();
    } finally {
      backend = null;
      owner = null;
    }
  }

  private static Kind availableKind() {
    try {
      if (DockerClientFactory.instance().isDockerAvailable()) {
        return Kind.CONTAINER;
      }
    } catch (RuntimeException | LinkageError e) {
      // A broken Docker configuration (or Docker client libraries that do not match, see the
      // exclusions in streams-app/pom.xml) is the same as no Docker for tests: fall back.
      LOG.warn("Docker check failed, using the embedded Kafka broker", e);
      return Kind.EMBEDDED;
    }
    LOG.info("No Docker engine found: using the embedded Kafka broker");
    return Kind.EMBEDDED;
  }

  private static String image() {
    String fromEnv = System.getenv(IMAGE_ENV);
    return System.getProperty(
        IMAGE_PROPERTY, fromEnv == null || fromEnv.isBlank() ? DEFAULT_IMAGE : fromEnv.strip());
  }

  /** One running cluster. */
  private interface Backend extends AutoCloseable {
    String bootstrapServers();

    Kind kind();

    void restart();

    @Override
    void close();
  }

  private static final class EmbeddedBackend implements Backend {
    private EmbeddedKafkaBroker broker;

    EmbeddedBackend() {
      try {
        broker =
            EmbeddedKafkaBroker.builder(Files.createTempDirectory("recsys-kafka-"))
                .deleteDataDirOnClose(true)
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a data directory for the Kafka broker", e);
      }
    }

    @Override
    public String bootstrapServers() {
      return broker.bootstrapServers();
    }

    @Override
    public Kind kind() {
      return Kind.EMBEDDED;
    }

    @Override
    public void restart() {
      broker = broker.restart();
    }

    @Override
    public void close() {
      broker.close();
    }
  }

  private static final class ContainerBackend implements Backend {
    private final KafkaContainer container;

    ContainerBackend(String image) {
      container =
          new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
              // Same reason as in EmbeddedKafkaBroker: no 3 s wait before the first rebalance.
              .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
      try {
        container.start();
      } catch (RuntimeException e) {
        container.stop();
        throw e;
      }
    }

    @Override
    public String bootstrapServers() {
      return container.getBootstrapServers();
    }

    @Override
    public Kind kind() {
      return Kind.CONTAINER;
    }

    @Override
    public void restart() {
      throw new UnsupportedOperationException(
          "A restarted Kafka container gets a new port; use KafkaCluster.embedded() to restart");
    }

    @Override
    public void close() {
      container.stop();
    }
  }
}
