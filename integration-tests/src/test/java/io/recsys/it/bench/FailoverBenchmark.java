package io.recsys.it.bench;

import io.recsys.app.broker.EmbeddedKafkaBroker;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.it.RunProcess;
import io.recsys.schemas.Json;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The failover benchmark ({@code bin/bench-failover}): a broker, and two application processes
 * ({@code recsys run}) that both serve and both have the trainer enabled (one trains, one stands
 * by), fed at a steady rate while a client queries the API. Three faults, each a SIGKILL: one
 * process restarted at once; the process that does not train, kept down; the process that trains,
 * kept down. Per fault it prints events lost and duplicated (among those sent from the fault to the
 * next), the longest gap between recommendations, the API requests made meanwhile (status counts, 0
 * for no answer at all, p99), the time from the restart to RUNNING, until every event sent before
 * the restart has its recommendation, and (trainer) until a new model version is published (-1:
 * none within the fault's window). The last line is one JSON object with the worst case over the
 * faults.
 */
public final class FailoverBenchmark {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Map<String, Object> options;
  private final Path work;
  private final List<Instance> instances = new ArrayList<>();
  private String bootstrap;

  private FailoverBenchmark(Map<String, Object> options, Path work) {
    this.options = options;
    this.work = work;
  }

  public static void main(String[] args) throws Exception {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("rate", 200);
    options.put("warmup", 30);
    options.put("down", 20);
    options.put("settle", 20);
    options.put("partitions", 4);
    options.put("users", 2000);
    options.put("guarantee", StreamsConfig.EXACTLY_ONCE_V2);
    options.put("instances", 2);
    boolean json = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--json")) {
        json = true;
      } else if (arg.startsWith("--") && i + 1 < args.length) {
        String key = arg.substring(2);
        if (!options.containsKey(key)) {
          throw new IllegalArgumentException("unknown option " + arg);
        }
        String value = args[++i];
        options.put(key, key.equals("guarantee") ? value : Integer.parseInt(value));
      } else {
        throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    Path work = Files.createTempDirectory("bench-failover-");
    System.out.println("work directory: " + work + "; options " + options);
    Map<String, Object> summary = new FailoverBenchmark(options, work).run();
    if (json) {
      System.out.println(Json.newMapper().writeValueAsString(summary));
    }
    System.exit(0);
  }

  private int option(String name) {
    return (Integer) options.get(name);
  }

  private Map<String, Object> run() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
      bootstrap = broker.bootstrapServers();
      Instance a = new Instance("a");
      instances.add(a);
      // A first, so that it takes the trainer lease.
      a.start();
      a.awaitRunning(Duration.ofMinutes(3));
      if (option("instances") > 1) {
        Instance b = new Instance("b");
        instances.add(b);
        b.start();
        b.awaitRunning(Duration.ofMinutes(3));
      }
      String topicPrefix = "failover-";
      try (Recommendations recommendations =
              new Recommendations(bootstrap, topicPrefix + "recommendations");
          Versions versions = new Versions(bootstrap, topicPrefix + "model-updates");
          Feeder feeder =
              new Feeder(bootstrap, topicPrefix + "events", option("rate"), option("users"));
          Probe probe = new Probe(a, option("users"))) {
        System.out.printf("warming up for %d s at %d events/s%n", option("warmup"), option("rate"));
        Thread.sleep(option("warmup") * 1000L);
        List<Map<String, Object>> faults = new ArrayList<>();
        if (instances.size() == 1) {
          // The instance alone: nothing answers while it is down.
          faults.add(fault("restart", a, 0, recommendations, versions, feeder, probe));
        } else {
          faults.add(fault("restart", standby(), 0, recommendations, versions, feeder, probe));
          faults.add(
              fault(
                  "serving-loss",
                  standby(),
                  option("down"),
                  recommendations,
                  versions,
                  feeder,
                  probe));
          faults.add(
              fault(
                  "trainer-loss",
                  trainer(),
                  option("down"),
                  recommendations,
                  versions,
                  feeder,
                  probe));
        }
        feeder.close();
        long drainEnd = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (recommendations.unanswered(feeder.sent(), Long.MAX_VALUE) > 0
            && System.nanoTime() < drainEnd) {
          Thread.sleep(500);
        }
        return summarize(faults, feeder, recommendations);
      } finally {
        for (Instance instance : instances) {
          instance.stop();
        }
      }
    }
  }

  private Instance trainer() throws IOException {
    for (Instance instance : instances) {
      if (instance.trains()) {
        return instance;
      }
    }
    throw new IllegalStateException("no process holds the trainer lease");
  }

  private Instance standby() throws IOException {
    Instance trainer = trainer();
    return instances.stream().filter(i -> i != trainer).findFirst().orElseThrow();
  }

  private Map<String, Object> fault(
      String name,
      Instance victim,
      int downSeconds,
      Recommendations recommendations,
      Versions versions,
      Feeder feeder,
      Probe probe)
      throws Exception {
    probe.target(instances.stream().filter(i -> i != victim).findFirst().orElse(victim));
    boolean trainerFault = victim.trains();
    System.out.printf(
        "fault %s: SIGKILL %s (%s), down %d s%n",
        name, victim.name, trainerFault ? "trains" : "stands by", downSeconds);
    long sentBefore = feeder.sentCount();
    long killedAt = System.nanoTime();
    long killedAtMs = System.currentTimeMillis();
    victim.kill();
    Thread.sleep(downSeconds * 1000L);
    long restartAt = System.nanoTime();
    victim.start();
    victim.awaitRunning(Duration.ofMinutes(3));
    double restartToRunning = (System.nanoTime() - restartAt) / 1e9;
    // Every event sent before the restart has its recommendation.
    long pendingDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (recommendations.unanswered(feeder.sent(), restartAt) > 0
        && System.nanoTime() < pendingDeadline) {
      Thread.sleep(100);
    }
    double pendingAnswered = (System.nanoTime() - restartAt) / 1e9;
    Thread.sleep(option("settle") * 1000L);
    long end = System.nanoTime();
    Probe.Window api = probe.window(killedAt, end);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("fault", name);
    figures.put("victim", victim.name + (trainerFault ? " (trainer)" : " (standby trainer)"));
    figures.put("events_sent", feeder.sentCount() - sentBefore);
    figures.put("restart_to_running_s", round(restartToRunning));
    figures.put("pending_answered_s", round(pendingAnswered));
    figures.put("max_gap_s", round(recommendations.maxGapSeconds(killedAt, end)));
    figures.put("api_requests", api.requests());
    figures.put("api_statuses", api.statuses());
    figures.put("api_5xx", api.serverErrors());
    figures.put("api_unreachable", api.unreachable());
    figures.put("api_stale", api.stale());
    figures.put("api_p99_ms", round(api.p99Millis()));
    if (trainerFault) {
      figures.put("trainer_resume_s", round(versions.firstAfterSeconds(killedAtMs)));
    }
    figures.put("versions_published_twice", versions.publishedTwice());
    System.out.println("  " + figures);
    return figures;
  }

  private Map<String, Object> summarize(
      List<Map<String, Object>> faults, Feeder feeder, Recommendations recommendations) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("lost", recommendations.unanswered(feeder.sent(), Long.MAX_VALUE));
    summary.put("duplicated", recommendations.duplicated());
    summary.put("events", feeder.sentCount());
    for (String figure :
        List.of(
            "restart_to_running_s",
            "pending_answered_s",
            "max_gap_s",
            "api_5xx",
            "api_unreachable",
            "api_p99_ms",
            "trainer_resume_s")) {
      double worst = 0;
      for (Map<String, Object> fault : faults) {
        Object value = fault.get(figure);
        if (value instanceof Number number) {
          // -1: it did not happen within the fault's window, worse than any time.
          worst =
              worst < 0 || number.doubleValue() < 0 ? -1 : Math.max(worst, number.doubleValue());
        }
      }
      summary.put(
          figure,
          figure.startsWith("api_") && !figure.endsWith("_ms")
              ? (Object) (long) worst
              : (Object) worst);
    }
    long requests = 0;
    for (Map<String, Object> fault : faults) {
      requests += (Long) fault.get("api_requests");
    }
    summary.put("api_requests", requests);
    summary.put("faults", faults);
    summary.put(
        "machine",
        Runtime.getRuntime().availableProcessors() + " cores; " + System.getProperty("os.arch"));
    System.out.printf(
        "lost %d, duplicated %d of %d events%n",
        summary.get("lost"), summary.get("duplicated"), feeder.sentCount());
    return summary;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** One application process, started again on the same configuration and state. */
  private final class Instance {
    final String name;
    final int port;
    final Path config;
    private Process process;
    private Path log;
    private int starts;

    Instance(String name) throws IOException {
      this.name = name;
      this.port = freePort();
      Properties properties = new Properties();
      properties.put("bootstrap.servers", bootstrap);
      properties.put("application.id", "failover");
      properties.put("application.server", "localhost:" + port);
      properties.put("processing.guarantee", options.get("guarantee"));
      properties.put("state.dir", work.resolve("state-" + name).toString());
      properties.put(RecsysConfig.HTTP_PORT_CONFIG, Integer.toString(port));
      properties.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, Integer.toString(option("partitions")));
      properties.put(RecsysConfig.TRAINER_DIR_CONFIG, work.resolve("trainer").toString());
      properties.put(RecsysConfig.TRAINER_CHECKPOINT_INTERVAL_CONFIG, "5000");
      properties.put(RecsysConfig.REGISTRY_DIR_CONFIG, work.resolve("models").toString());
      for (String key : RecsysConfig.CONFIG_DEF.names()) {
        if (key.startsWith("recsys.topic.")
            && RecsysConfig.CONFIG_DEF.configKeys().get(key).defaultValue instanceof String topic) {
          properties.put(key, "failover-" + topic.replace('.', '-'));
        }
      }
      this.config = work.resolve(name + ".properties");
      try (var writer = Files.newBufferedWriter(config)) {
        properties.store(writer, "failover benchmark, instance " + name);
      }
    }

    void start() throws IOException {
      starts++;
      log = work.resolve(name + "-" + starts + ".log");
      process = RunProcess.start(config, log, "1g");
    }

    /**
     * Until Kafka Streams in the process is RUNNING (every task restored), as its log says: the
     * HTTP server starts after Kafka Streams, and a first RUNNING can be followed by another
     * rebalance within a fraction of a second.
     */
    void awaitRunning(Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(name + " exited; see " + log);
        }
        if (Files.exists(log)
            && Files.readAllLines(log, StandardCharsets.ISO_8859_1).stream()
                .anyMatch(line -> line.contains("Pipeline state RUNNING"))) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(name + " not running in " + timeout + "; see " + log);
        }
        Thread.sleep(50);
      }
    }

    /** Whether this process holds the trainer lease now (from its log). */
    boolean trains() throws IOException {
      List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      boolean trains = false;
      for (String line : lines) {
        if (line.contains("Trainer lease acquired")) {
          trains = true;
        } else if (line.contains("Trainer lease lost") || line.contains("handing the lease")) {
          trains = false;
        }
      }
      return trains;
    }

    String url(String path) {
      return "http://localhost:" + port + path;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
      if (process != null && process.isAlive()) {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  /** Sends events at a steady rate and remembers when each was sent. */
  private static final class Feeder implements AutoCloseable {
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    Feeder(String bootstrap, String topic, int rate, int users) {
      Map<String, Object> config =
          Map.of(
              ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
              bootstrap,
              ProducerConfig.LINGER_MS_CONFIG,
              5);
      this.thread =
          new Thread(
              () -> {
                Random random = new Random(7);
                try (var producer =
                    new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                  long next = System.nanoTime();
                  long eventTime = System.currentTimeMillis();
                  int count = 0;
                  while (!closed) {
                    String user = "u" + (count % users);
                    // Distinct event times: an event is known by its user and time.
                    eventTime = Math.max(eventTime + 1, System.currentTimeMillis());
                    String json =
                        "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                            .formatted(
                                user, (int) (Math.abs(random.nextGaussian()) * 150), eventTime);
                    producer.send(new ProducerRecord<>(topic, user, json));
                    sent.put(user + "@" + eventTime, System.nanoTime());
                    count++;
                    next += 1_000_000_000L / rate;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "feeder");
      thread.start();
    }

    /** Event key (user@eventTime) to when it was sent (System.nanoTime). */
    Map<String, Long> sent() {
      return sent;
    }

    long sentCount() {
      return sent.size();
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.join();
    }
  }

  /** Reads the committed recommendations: which events were answered, how often, and when. */
  private static final class Recommendations implements AutoCloseable {
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();

    /** Per partition: when each recommendation arrived (System.nanoTime). */
    private final Map<Integer, ConcurrentLinkedQueue<Long>> arrivals = new ConcurrentHashMap<>();

    private final TopicWatch watch;

    Recommendations(String bootstrap, String topic) {
      this.watch =
          new TopicWatch(
              bootstrap,
              topic,
              record -> {
                if (record.value() == null) {
                  return;
                }
                Recommendation recommendation =
                    SchemaSerdes.recommendation().deserializer().deserialize(topic, record.value());
                arrivals
                    .computeIfAbsent(record.partition(), p -> new ConcurrentLinkedQueue<>())
                    .add(System.nanoTime());
                answered
                    .computeIfAbsent(
                        recommendation.userId() + "@" + recommendation.eventTime(),
                        k -> new AtomicInteger())
                    .incrementAndGet();
              });
    }

    /** Events sent before {@code before} (System.nanoTime) without a recommendation yet. */
    long unanswered(Map<String, Long> sent, long before) {
      long missing = 0;
      for (var entry : sent.entrySet()) {
        if (entry.getValue() < before && !answered.containsKey(entry.getKey())) {
          missing++;
        }
      }
      return missing;
    }

    long duplicated() {
      return answered.values().stream().mapToLong(count -> Math.max(0, count.get() - 1)).sum();
    }

    /**
     * The longest time without a new recommendation on any one partition between {@code from} and
     * {@code to}: a dead instance's partitions fall silent while the others go on.
     */
    double maxGapSeconds(long from, long to) {
      long longest = 0;
      for (var partition : arrivals.values()) {
        long previous = from;
        for (long arrival : partition) {
          if (arrival < from || arrival > to) {
            continue;
          }
          longest = Math.max(longest, arrival - previous);
          previous = arrival;
        }
        longest = Math.max(longest, to - previous);
      }
      return longest / 1e9;
    }

    @Override
    public void close() throws InterruptedException {
      watch.close();
    }
  }

  /** Watches model-updates: when each version was published, and whether a name came twice. */
  private static final class Versions implements AutoCloseable {
    private final ConcurrentLinkedQueue<Long> publishedAt = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> names = new ConcurrentHashMap<>();
    private final TopicWatch watch;

    Versions(String bootstrap, String topic) {
      this.watch =
          new TopicWatch(
              bootstrap,
              topic,
              record -> {
                var chunk = record.headers().lastHeader(ModelUpdates.CHUNK);
                var version = record.headers().lastHeader(ModelUpdates.VERSION);
                if (chunk != null
                    && version != null
                    && "0".equals(new String(chunk.value(), StandardCharsets.UTF_8))) {
                  publishedAt.add(record.timestamp());
                  names
                      .computeIfAbsent(
                          new String(version.value(), StandardCharsets.UTF_8),
                          k -> new AtomicInteger())
                      .incrementAndGet();
                }
              });
    }

    /** Seconds from {@code fromMs} (epoch) to the first version published after it; -1 if none. */
    double firstAfterSeconds(long fromMs) {
      return publishedAt.stream()
          .filter(t -> t > fromMs)
          .findFirst()
          .map(t -> (t - fromMs) / 1000.0)
          .orElse(-1.0);
    }

    long publishedTwice() {
      return names.values().stream().filter(count -> count.get() > 1).count();
    }

    @Override
    public void close() throws InterruptedException {
      watch.close();
    }
  }

  /** A thread handing every committed record of a topic, from its beginning, to a handler. */
  private static final class TopicWatch implements AutoCloseable {
    private final Thread thread;
    private volatile boolean closed;

    TopicWatch(String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> handler) {
      this.thread =
          new Thread(
              () -> {
                try (var consumer = committedReader(bootstrap)) {
                  consumer.subscribe(List.of(topic));
                  while (!closed) {
                    consumer.poll(Duration.ofMillis(100)).forEach(handler);
                  }
                }
              },
              "watch-" + topic);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.join();
    }
  }

  private static KafkaConsumer<byte[], byte[]> committedReader(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "bench-failover-" + System.nanoTime(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            8 * 1024 * 1024),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** A client asking the API for users' recommendations, 20 times a second. */
  private static final class Probe implements AutoCloseable {
    /** The status recorded for a request that got no answer (connection refused, timeout). */
    static final int UNREACHABLE = 0;

    record Result(long at, int status, long nanos, boolean stale) {}

    record Window(
        long requests,
        Map<Integer, Long> statuses,
        long serverErrors,
        long unreachable,
        long stale,
        double p99Millis) {}

    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile Instance target;
    private volatile boolean closed;

    Probe(Instance target, int users) {
      this.target = target;
      this.thread =
          new Thread(
              () -> {
                Random random = new Random(11);
                while (!closed) {
                  String user = "u" + random.nextInt(users);
                  long start = System.nanoTime();
                  int status;
                  boolean stale = false;
                  try {
                    HttpResponse<String> response =
                        HTTP.send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        this.target.url("/users/" + user + "/recommendations")))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                    stale = response.body().contains("\"stale\":true");
                  } catch (IOException e) {
                    status = UNREACHABLE;
                  } catch (InterruptedException e) {
                    return;
                  }
                  results.add(new Result(start, status, System.nanoTime() - start, stale));
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "api-probe");
      thread.start();
    }

    void target(Instance instance) {
      this.target = instance;
    }

    Window window(long from, long to) {
      List<Result> in = results.stream().filter(r -> r.at() >= from && r.at() <= to).toList();
      Map<Integer, Long> statuses = new java.util.TreeMap<>();
      in.forEach(r -> statuses.merge(r.status(), 1L, Long::sum));
      long[] latencies = in.stream().mapToLong(Result::nanos).sorted().toArray();
      double p99 =
          latencies.length == 0
              ? 0
              : latencies[
                      Math.min(latencies.length - 1, (int) Math.ceil(latencies.length * 0.99) - 1)]
                  / 1e6;
      return new Window(
          in.size(),
          statuses,
          in.stream().filter(r -> r.status() >= 500).count(),
          in.stream().filter(r -> r.status() == UNREACHABLE).count(),
          in.stream().filter(Result::stale).count(),
          p99);
    }

    @Override
    public void close() throws InterruptedException {
      closed = true;
      thread.interrupt();
      thread.join();
    }
  }

  static {
    Locale.setDefault(Locale.ROOT);
  }
}
