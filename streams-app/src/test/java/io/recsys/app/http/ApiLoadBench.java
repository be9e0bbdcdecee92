package io.recsys.app.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.RecsysApp;
import io.recsys.app.broker.EmbeddedKafkaBroker;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.metrics.MetricsPublisher;
import io.recsys.app.metrics.PipelineMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Latency of {@code GET /users/{id}/recommendations} at a fixed request rate on loopback, while
 * events stream through the pipeline (a demo-like load). Open loop: each request's latency is
 * measured from the time it was scheduled, not sent, so a stall is not hidden by sending less (no
 * coordinated omission). Not a test; run by hand:
 *
 * <pre>
 * java -cp ... io.recsys.app.http.ApiLoadBench [seconds=20] [requestsPerSecond=1000] [eventsPerSecond=500]
 * </pre>
 */
public final class ApiLoadBench {
  private static final int USERS = 2_000;
  private static final int ITEMS = 500;
  private static final int CONNECTIONS = 32;

  private ApiLoadBench() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int eventRate = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    Path dir = Files.createTempDirectory("api-load-bench");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"))) {
      Map<String, Object> config = new HashMap<>();
      config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
      config.put(RecsysConfig.HTTP_PORT_CONFIG, "0");
      config.put(RecsysConfig.MODEL_ENABLED_CONFIG, "false");
      config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      try (RecsysApp app = RecsysApp.create(config, new PipelineMetrics(registry));
          RecsysHttpServer server = RecsysHttpServer.start(app, registry, () -> true)) {
        app.start();
        try (MetricsPublisher publisher = MetricsPublisher.start(app)) {
          app.awaitRunning(Duration.ofSeconds(60));
          AtomicBoolean producing = new AtomicBoolean(true);
          Thread events =
              new Thread(
                  () ->
                      produceEvents(broker, app.settings().topics().events(), eventRate, producing),
                  "bench-events");
          events.start();
          Thread.sleep(5_000); // Warm up: users known, popularity published, JIT compiled.
          run(server.port(), 3, rate); // JIT warm-up of the client and server paths.
          long[] latencies = run(server.port(), seconds, rate);
          producing.set(false);
          events.join();
          report(latencies, seconds, rate, eventRate, app.metrics().eventsAccepted());
        }
      }
    }
  }

  /**
   * Sends {@code seconds * rate} requests on a fixed schedule from {@link #CONNECTIONS} threads,
   * each with its own keep-alive connection: at most that many requests are outstanding, and a
   * request that could not be sent on time counts its wait in its latency.
   */
  private static long[] run(int port, int seconds, int rate) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    int total = seconds * rate;
    long intervalNanos = 1_000_000_000L / rate;
    long[] latencies = new long[total];
    AtomicLong next = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime() + 10_000_000L;
    Thread[] workers = new Thread[CONNECTIONS];
    for (int w = 0; w < CONNECTIONS; w++) {
      SplittableRandom random = new SplittableRandom(42 + w);
      workers[w] =
          new Thread(
              () -> {
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                  long scheduled = start + i * intervalNanos;
                  long wait = scheduled - System.nanoTime();
                  if (wait > 0) {
                    LockSupport.parkNanos(wait);
                  }
                  String user = "user-" + random.nextInt(USERS + USERS / 10); // ~9% unknown
                  HttpRequest request =
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + port
                                      + "/users/"
                                      + user
                                      + "/recommendations?k=10"))
                          .timeout(Duration.ofSeconds(5))
                          .build();
                  try {
                    HttpResponse<byte[]> response =
                        client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                      failures.incrementAndGet();
                    }
                  } catch (Exception e) {
                    failures.incrementAndGet();
                  }
                  latencies[(int) i] = System.nanoTime() - scheduled;
                }
              },
              "bench-client-" + w);
      workers[w].start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    long elapsed = System.nanoTime() - start;
    System.out.printf(
        "sent %d requests in %.2f s (%.0f req/s achieved), %d failed or non-200%n",
        total, elapsed / 1e9, total / (elapsed / 1e9), failures.get());
    Arrays.sort(latencies);
    return latencies;
  }

  private static void produceEvents(
      EmbeddedKafkaBroker broker, String topic, int rate, AtomicBoolean producing) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            broker.clientConfig(), new StringSerializer(), new StringSerializer())) {
      SplittableRandom random = new SplittableRandom(7);
      long sent = 0;
      long start = System.nanoTime();
      while (producing.get()) {
        long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
        for (; sent < due; sent++) {
          String user = "user-" + random.nextInt(USERS);
          String json =
              "{\"userId\":\"%s\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(user, random.nextInt(ITEMS), System.currentTimeMillis());
          producer.send(new ProducerRecord<>(topic, user, json));
        }
        LockSupport.parkNanos(2_000_000);
      }
    }
  }

  private static void report(
      long[] sorted, int seconds, int rate, int eventRate, double eventsAccepted) {
    System.out.printf(
        "GET /users/{id}/recommendations?k=10 on 127.0.0.1: %d req/s for %d s, %d requests;"
            + " events produced at %d/s (accepted in total: %.0f)%n",
        rate, seconds, sorted.length, eventRate, eventsAccepted);
    System.out.printf(
        "latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
        percentile(sorted, 0.50),
        percentile(sorted, 0.90),
        percentile(sorted, 0.99),
        percentile(sorted, 0.999),
        sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
