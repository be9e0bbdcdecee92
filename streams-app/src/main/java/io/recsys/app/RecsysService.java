package io.recsys.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.http.RecsysHttpServer;
import io.recsys.app.metrics.MetricsPublisher;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.metrics.ScrapeSafeRegistry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Everything one instance runs, as {@code run} and {@code demo} start it: the pipeline (with the
 * trainer and model follower where enabled), the HTTP query API, metrics endpoint and dashboard
 * (unless {@code recsys.http.port} is -1), and the metrics publisher.
 *
 * <p>Closing order: metrics publisher, HTTP server, then the pipeline (see {@link
 * RecsysApp#close()}).
 */
public final class RecsysService implements AutoCloseable {
  private final RecsysApp app;
  private final RecsysHttpServer http;
  private final MetricsPublisher publisher;

  private RecsysService(RecsysApp app, RecsysHttpServer http, MetricsPublisher publisher) {
    this.app = app;
    this.http = http;
    this.publisher = publisher;
  }

  /**
   * Creates and starts the instance.
   *
   * @param stateListener told of every Kafka Streams state change (set before the start)
   */
  public static RecsysService start(
      Map<String, ?> config, Consumer<KafkaStreams.State> stateListener) {
    PrometheusMeterRegistry registry = new ScrapeSafeRegistry();
    RecsysApp app = RecsysApp.create(config, new PipelineMetrics(registry));
    RecsysHttpServer http = null;
    MetricsPublisher publisher = null;
    try {
      app.setStateListener((now, before) -> stateListener.accept(now));
      // Kafka Streams first: a restarted instance must rejoin its group within the session
      // timeout to take its partitions back without a rebalance, and the HTTP server's start
      // (the model library's native code) takes seconds on a busy machine.
      app.start();
      if (app.settings().http().port() >= 0) {
        // Ready needs a model only where the model serves at all.
        boolean modelServes = app.settings().serving().modelEnabled();
        http =
            RecsysHttpServer.start(
                app, registry, () -> !modelServes || app.model().get().isPresent());
      }
      publisher = MetricsPublisher.start(app);
      return new RecsysService(app, http, publisher);
    } catch (RuntimeException e) {
      closeQuietly(publisher, http, app);
      throw e;
    }
  }

  public RecsysApp app() {
    return app;
  }

  /** The dashboard and API address, when HTTP is enabled. */
  public Optional<String> url() {
    return Optional.ofNullable(http).map(RecsysHttpServer::url);
  }

  @Override
  public void close() {
    closeQuietly(publisher, http, app);
  }

  private static void closeQuietly(AutoCloseable... resources) {
    RuntimeException failure = null;
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Failed to close " + resource, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
