package io.recsys.app.broker;

import io.recsys.app.kafka.TopicCreation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster inside this JVM: one KRaft process that is both broker and
 * controller, started from the official Kafka jars. The {@code demo} command runs on it, and tests
 * use it when no Docker engine is available.
 *
 * <p>The storage under {@link #dataDir()} is formatted on the first start only, so closing a broker
 * and starting another one on the same directory (and port) keeps every topic and record: that is
 * how tests simulate a broker restart.
 *
 * <p>Closing order: close the producers, consumers and Kafka Streams applications that use this
 * broker first (a client closed after its broker spends its whole request timeout trying to commit
 * or flush), then the broker. {@link #close()} stops the broker role before the controller role,
 * waits until both have released their ports and files, and only then deletes the data directory
 * when asked to.
 *
 * <p>Not for production: one replica, no security, and a fatal metadata fault inside the broker can
 * halt the whole JVM, application included (Kafka's fault handler terminates the process, as it
 * would a standalone broker's).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private static final int NODE_ID = 1;
  private static final String HOST = "localhost";
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String SECURE_LISTENER = "SECURE";
  private static final String SCRAM = "SCRAM-SHA-512";
  private static final String LOG_DIR_NAME = "kafka-logs";
  private static final String CONFIG_FILE_NAME = "server.properties";

  /** Randomly chosen ports can be taken by someone else between choosing and binding. */
  private static final int MAX_START_ATTEMPTS_WITH_RANDOM_PORTS = 3;

  private static final Duration DEFAULT_TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final boolean deleteDataDirOnClose;
  private final Map<String, String> brokerProperties;
  private final SaslSslListener saslSsl;
  private final int securePort;
  private final KafkaRaftServer server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafkaBroker(
      Path dataDir,
      int port,
      int controllerPort,
      boolean deleteDataDirOnClose,
      Map<String, String> brokerProperties,
      SaslSslListener saslSsl,
      int securePort,
      KafkaRaftServer server) {
    this.saslSsl = saslSsl;
    this.securePort = securePort;
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.deleteDataDirOnClose = deleteDataDirOnClose;
    this.brokerProperties = Map.copyOf(brokerProperties);
    this.server = server;
  }

  /**
   * Starts a broker on free ports with its storage in {@code dataDir} (created if missing, kept on
   * close). Blocks until the broker accepts requests.
   */
  public static EmbeddedKafkaBroker start(Path dataDir) {
    return builder(dataDir).start();
  }

  /** Starts a broker whose client listener is on {@code port}; 0 picks a free port. */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    return builder(dataDir).port(port).start();
  }

  /** A builder for a broker with its storage in {@code dataDir}. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** The {@code bootstrap.servers} value for clients, e.g. {@code localhost:9092}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /**
   * A second client listener that requires TLS and SASL/SCRAM-SHA-512, for tests of secured
   * deployments: the server's key and certificate in a PKCS12 keystore, and the one user it knows
   * (created when the storage is formatted).
   */
  public record SaslSslListener(
      Path keystore, String keystorePassword, String user, String password) {
    public SaslSslListener {
      Objects.requireNonNull(keystore, "keystore");
      Objects.requireNonNull(keystorePassword, "keystorePassword");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "SaslSslListener[" + keystore + ", user " + user + "]";
    }
  }

  /**
   * The {@code bootstrap.servers} value of the TLS and SASL listener.
   *
   * @throws IllegalStateException if the broker was built without one
   */
  public String secureBootstrapServers() {
    if (saslSsl == null) {
      throw new IllegalStateException("this broker has no SASL_SSL listener; see Builder.saslSsl");
    }
    return HOST + ":" + securePort;
  }

  /** The port of the client (PLAINTEXT) listener. */
  public int port() {
    return port;
  }

  /** The port of the KRaft controller listener; clients never use it. */
  public int controllerPort() {
    return controllerPort;
  }

  /** The directory that holds this broker's storage and its generated configuration file. */
  public Path dataDir() {
    return dataDir;
  }

  /** A client configuration that reaches this broker; add serdes and group ids to it. */
  public Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /**
   * Creates the topics that do not exist yet and waits until every partition of every listed topic
   * has a leader, so that a producer that starts right after this returns does not see {@code
   * UNKNOWN_TOPIC_OR_PARTITION}. Existing topics are left as they are.
   */
  public void createTopics(Collection<NewTopic> topics) {
    createTopics(topics, DEFAULT_TOPIC_TIMEOUT);
  }

  /** As {@link #createTopics(Collection)}, failing after {@code timeout}. */
  public void createTopics(Collection<NewTopic> topics, Duration timeout) {
    try (Admin admin = Admin.create(clientConfig())) {
      TopicCreation.createAndAwait(admin, topics, timeout);
    }
  }

  /**
   * Stops this broker, keeping its data even if it was built to delete it on close, and starts a
   * new one on the same data directory, ports and settings, so clients can keep their bootstrap
   * servers. Works on a closed broker too. Use the returned broker from then on.
   */
  public EmbeddedKafkaBroker restart() {
    stop();
    Builder builder =
        builder(dataDir)
            .port(port)
            .controllerPort(controllerPort)
            .brokerProperties(brokerProperties)
            .deleteDataDirOnClose(deleteDataDirOnClose);
    if (saslSsl != null) {
      builder.saslSsl(saslSsl).securePort(securePort);
    }
    return builder.start();
  }

  /**
   * Stops the broker and the controller and waits until they have released their ports and files;
   * then deletes the data directory if the builder asked for it. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (stop() && deleteDataDirOnClose) {
      deleteRecursively(dataDir);
    }
  }

  /** Stops the server if it is running; returns whether this call stopped it. */
  private boolean stop() {
    if (!closed.compareAndSet(false, true)) {
      return false;
    }
    long startNanos = System.nanoTime();
    // shutdown() stops the broker role first (it unregisters from the controller), then the
    // controller role; awaitShutdown() returns once the sockets and log files are closed.
    server.shutdown();
    server.awaitShutdown();
    LOG.info(
        "Embedded Kafka broker {} stopped in {} ms", bootstrapServers(), millisSince(startNanos));
    return true;
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaBroker[" + bootstrapServers() + ", " + dataDir + "]";
  }

  /** Options for an {@link EmbeddedKafkaBroker}; {@link #start()} builds and starts it. */
  public static final class Builder {
    private final Path dataDir;
    private int port;
    private int controllerPort;
    private boolean deleteDataDirOnClose;
    private SaslSslListener saslSsl;
    private int securePort;
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();

    private Builder(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath();
    }

    /** The client listener's port; 0 (the default) picks a free port. */
    public Builder port(int port) {
      this.port = checkPort(port, "port");
      return this;
    }

    /**
     * The controller listener's port; 0 (the default) picks a free port. A restarted broker does
     * not need the same controller port: the single-voter quorum is static configuration.
     */
    public Builder controllerPort(int controllerPort) {
      this.controllerPort = checkPort(controllerPort, "controllerPort");
      return this;
    }

    /**
     * Adds a client listener that requires TLS and SASL/SCRAM-SHA-512 ({@link
     * EmbeddedKafkaBroker#secureBootstrapServers()}); the plain listener stays for the broker's own
     * traffic. Its user is created when the storage is first formatted.
     */
    public Builder saslSsl(SaslSslListener listener) {
      this.saslSsl = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The SASL_SSL listener's port; 0 (the default) picks a free port. */
    public Builder securePort(int securePort) {
      this.securePort = checkPort(securePort, "securePort");
      return this;
    }

    /** Whether {@link EmbeddedKafkaBroker#close()} deletes the data directory; default false. */
    public Builder deleteDataDirOnClose(boolean deleteDataDirOnClose) {
      this.deleteDataDirOnClose = deleteDataDirOnClose;
      return this;
    }

    /**
     * A broker setting (any {@code server.properties} key) that overrides this class's defaults.
     * Listener and quorum settings are derived from the ports and cannot be overridden.
     */
    public Builder brokerProperty(String key, String value) {
      brokerProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
      return this;
    }

    /** Several broker settings at once; see {@link #brokerProperty(String, String)}. */
    public Builder brokerProperties(Map<String, String> properties) {
      properties.forEach(this::brokerProperty);
      return this;
    }

    /** Formats the storage if this is its first start, starts the broker and waits for it. */
    public EmbeddedKafkaBroker start() {
      boolean randomPorts = port == 0 || controllerPort == 0;
      int attempts = randomPorts ? MAX_START_ATTEMPTS_WITH_RANDOM_PORTS : 1;
      for (int attempt = 1; ; attempt++) {
        try {
          return startOnce();
        } catch (KafkaException e) {
          if (attempt >= attempts || !causedByBindFailure(e)) {
            throw e;
          }
          LOG.warn(
              "Embedded Kafka broker could not bind a chosen port, trying others: {}",
              e.toString());
        }
      }
    }

    private EmbeddedKafkaBroker startOnce() {
      long startNanos = System.nanoTime();
      int[] free = freePorts(port, controllerPort);
      int brokerPort = free[0];
      int quorumPort = free[1];
      int secure = saslSsl == null ? 0 : securePort != 0 ? securePort : freePort(free);
      Path logDir = dataDir.resolve(LOG_DIR_NAME);
      Properties props = serverProperties(brokerPort, quorumPort, secure, logDir);
      Path configFile = writeConfig(props);
      boolean formatted = Files.exists(logDir.resolve("meta.properties"));
      if (!formatted) {
        format(configFile);
      }

      KafkaRaftServer server =
          new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      try {
        // Returns once the broker has caught up with the metadata log and been unfenced.
        server.startup();
      } catch (RuntimeException e) {
        shutDownQuietly(server);
        throw new KafkaException(
            "Embedded Kafka broker failed to start on ports "
                + brokerPort
                + "/"
                + quorumPort
                + " with data in "
                + dataDir,
            e);
      }
      var broker =
          new EmbeddedKafkaBroker(
              dataDir,
              brokerPort,
              quorumPort,
              deleteDataDirOnClose,
              brokerProperties,
              saslSsl,
              secure,
              server);
      LOG.info(
          "Embedded Kafka broker started at {} in {} ms ({} storage in {})",
          broker.bootstrapServers(),
          millisSince(startNanos),
          formatted ? "existing" : "new",
          dataDir);
      return broker;
    }

    private Properties serverProperties(
        int brokerPort, int quorumPort, int securePort, Path logDir) {
      Properties props = new Properties();
      // Single node: every replication factor and min ISR must be 1 or the internal topics (and
      // thus consumer groups and transactions) can never be created.
      props.put("offsets.topic.replication.factor", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      // The defaults (50 partitions each) make the first consumer group or transaction wait while
      // 50 partitions are created; one node gains nothing from them.
      props.put("offsets.topic.num.partitions", "5");
      props.put("transaction.state.log.num.partitions", "5");
      // Tests and the demo start consumers right away; the 3 s default would delay every first
      // rebalance of a classic consumer group.
      props.put("group.initial.rebalance.delay.ms", "0");
      // A transaction left open by a killed producer blocks read_committed readers of its
      // partitions until the coordinator aborts it: at most this long after its timeout (10 s by
      // default), instead of up to 10 s more.
      props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
      // The 128 MiB default dedupe buffer is allocated on the heap of the application sharing
      // this JVM; the compacted topics of a demo need a tiny fraction of it.
      props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
      props.putAll(brokerProperties);

      // Derived from the ports and the data directory: set last so that they always win.
      props.put("process.roles", "broker,controller");
      props.put("node.id", String.valueOf(NODE_ID));
      props.put(
          "listeners",
          BROKER_LISTENER
              + "://"
              + HOST
              + ":"
              + brokerPort
              + ","
              + CONTROLLER_LISTENER
              + "://"
              + HOST
              + ":"
              + quorumPort);
      props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
      props.put(
          "listener.security.protocol.map",
          BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
      props.put("inter.broker.listener.name", BROKER_LISTENER);
      props.put("controller.listener.names", CONTROLLER_LISTENER);
      // A static voter set (not controller.quorum.bootstrap.servers) keeps the controller's
      // address out of the metadata log, so a restart may use another controller port.
      props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + quorumPort);
      props.put("log.dirs", logDir.toString());
      if (saslSsl != null) {
        addSecureListener(props, securePort);
      }
      return props;
    }

    private void addSecureListener(Properties props, int securePort) {
      String secure = SECURE_LISTENER + "://" + HOST + ":" + securePort;
      props.put("listeners", props.getProperty("listeners") + "," + secure);
      props.put("advertised.listeners", props.getProperty("advertised.listeners") + "," + secure);
      props.put(
          "listener.security.protocol.map",
          props.getProperty("listener.security.protocol.map")
              + ","
              + SECURE_LISTENER
              + ":SASL_SSL");
      String prefix = "listener.name." + SECURE_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
      props.put(prefix + "sasl.enabled.mechanisms", SCRAM);
      props.put(
          prefix + SCRAM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      props.put(prefix + "ssl.keystore.location", saslSsl.keystore().toString());
      props.put(prefix + "ssl.keystore.type", "PKCS12");
      props.put(prefix + "ssl.keystore.password", saslSsl.keystorePassword());
      props.put(prefix + "ssl.key.password", saslSsl.keystorePassword());
    }

    private Path writeConfig(Properties props) {
      try {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(CONFIG_FILE_NAME);
        try (OutputStream out = Files.newOutputStream(file)) {
          props.store(out, "Written by EmbeddedKafkaBroker on every start; edits are overwritten");
        }
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write the broker configuration in " + dataDir, e);
      }
    }

    private void format(Path configFile) {
      String clusterId = Uuid.randomUuid().toString();
      var output = new ByteArrayOutputStream();
      int code;
      try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        List<String> args =
            new ArrayList<>(
                List.of("format", "--config", configFile.toString(), "--cluster-id", clusterId));
        if (saslSsl != null) {
          args.add("--add-scram");
          args.add(SCRAM + "=[name=" + saslSsl.user() + ",password=" + saslSsl.password() + "]");
        }
        code = StorageTool.execute(args.toArray(String[]::new), out);
      } catch (RuntimeException e) {
        throw new KafkaException(
            "Cannot format Kafka storage in "
                + dataDir
                + ": "
                + output.toString(StandardCharsets.UTF_8).strip(),
            e);
      }
      if (code != 0) {
        throw new KafkaException(
            "Formatting Kafka storage in "
                + dataDir
                + " failed with code "
                + code
                + ": "
                + output.toString(StandardCharsets.UTF_8).strip());
      }
      LOG.debug("Formatted Kafka storage in {} for cluster {}", dataDir, clusterId);
    }
  }

  /** A free port other than {@code taken}. */
  private static int freePort(int[] taken) {
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        int port = socket.getLocalPort();
        if (port != taken[0] && port != taken[1]) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free port for the SASL_SSL listener", e);
      }
    }
  }

  /** Returns the requested ports, with each 0 replaced by a distinct free port. */
  private static int[] freePorts(int brokerPort, int quorumPort) {
    // Both probe sockets stay open until both ports are known, so they cannot be the same.
    try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        ServerSocket second = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      int broker = brokerPort != 0 ? brokerPort : first.getLocalPort();
      int quorum = quorumPort != 0 ? quorumPort : second.getLocalPort();
      if (broker == quorum) {
        throw new IllegalArgumentException(
            "Broker and controller ports must differ, both are " + broker);
      }
      return new int[] {broker, quorum};
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find free ports for the embedded Kafka broker", e);
    }
  }

  private static int checkPort(int port, String name) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0..65535, got " + port);
    }
    return port;
  }

  private static boolean causedByBindFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  private static void shutDownQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("Error while stopping an embedded Kafka broker that failed to start", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // The broker is already stopped; a leftover directory only costs disk space.
      LOG.warn("Cannot delete the embedded Kafka broker's data in {}", dir, e);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
