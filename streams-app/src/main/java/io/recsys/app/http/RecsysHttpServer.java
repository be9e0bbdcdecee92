package io.recsys.app.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.DeletionRequests;
import io.recsys.app.erasure.UserPseudonyms;
import io.recsys.app.metrics.JvmMeters;
import io.recsys.app.metrics.ModelMetrics;
import io.recsys.app.pipeline.serving.ModelRecommender;
import io.recsys.schemas.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of one instance, on Javalin (a thin layer over Jetty 12: no annotation scanning, no
 * container, small enough to read in full):
 *
 * <ul>
 *   <li>{@code GET /users/{id}/recommendations?k=}: the user's list from the owning instance's
 *       state (interactive queries), forwarded to the owner when that is another instance;
 *   <li>{@code GET /users/{id}}: what the pipeline keeps about the user (recent items);
 *   <li>{@code DELETE /users/{id}}: forget the user everywhere (a request on {@code
 *       user-deletions}; 202 with its id);
 *   <li>{@code GET /health}, {@code GET /ready}: liveness, and readiness (stream RUNNING and a
 *       model loaded);
 *   <li>{@code GET /metrics}: Prometheus text (pipeline, trainer, Kafka Streams and client, JVM and
 *       process metrics);
 *   <li>{@code GET /}: the dashboard, fed live by {@code GET /events/metrics} (server-sent events
 *       from the {@code metrics} topic).
 * </ul>
 *
 * <p>Listens on {@code recsys.http.bind.address}; with {@code recsys.http.auth.token} set every
 * endpoint but {@code /health} and {@code /ready} requires the bearer token ({@link AccessToken});
 * with {@code recsys.http.tls.keystore.path} set it speaks HTTPS only ({@link ServerTls}). Request
 * sizes and the requests served at once are bounded ({@code recsys.http.max.request.bytes}, {@code
 * max.concurrent.requests}).
 *
 * <p>Does not own the instance it serves: close this server first, then the instance.
 */
public final class RecsysHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecsysHttpServer.class);

  /** How long a request over the concurrency limit waits for a turn before a 503. */
  private static final Duration MAX_QUEUED_WAIT = Duration.ofSeconds(5);

  /** Probes answer without a token: an orchestrator's checks carry none. */
  private static final Set<String> OPEN_PATHS = Set.of("/health", "/ready");

  private static final int FEED_HISTORY = 120;

  private final Javalin javalin;
  private final String scheme;
  private final MetricsFeed feed;
  private final KafkaStreamsMetrics streamsMetrics;
  private final JvmMeters jvm;
  private final DeletionRequests deletions;

  private RecsysHttpServer(
      Javalin javalin,
      String scheme,
      MetricsFeed feed,
      KafkaStreamsMetrics streamsMetrics,
      JvmMeters jvm,
      DeletionRequests deletions) {
    this.javalin = javalin;
    this.scheme = scheme;
    this.deletions = deletions;
    this.feed = feed;
    this.streamsMetrics = streamsMetrics;
    this.jvm = jvm;
  }

  /**
   * Starts the server on the port the app's settings name ({@code recsys.http.port}; for 0 the port
   * advertised in {@code application.server}).
   *
   * @param registry the registry the app's {@code PipelineMetrics} records into; the Kafka Streams
   *     metrics are bound to it here
   * @param modelLoaded whether a model is loaded; part of readiness
   */
  public static RecsysHttpServer start(
      ServedInstance app, PrometheusMeterRegistry registry, BooleanSupplier modelLoaded) {
    int port =
        HttpEndpoint.listenPort(
            app.settings().http().port(), HttpEndpoint.advertised(app.streamsConfig()));
    return start(app, registry, port, modelLoaded);
  }

  /** Starts the server on {@code port} (0: any free port; see {@link #port()}). */
  public static RecsysHttpServer start(
      ServedInstance app, PrometheusMeterRegistry registry, int port, BooleanSupplier modelLoaded) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be between 0 and 65535, got " + port);
    }
    RecsysSettings settings = app.settings();
    RecsysSettings.Http http = settings.http();
    if (http.tls()) {
      ServerTls.check(http);
    }
    AccessToken token = new AccessToken(http.authToken());
    KafkaStreams streams = app.streams();
    Optional<HostInfo> self = HttpEndpoint.advertised(app.streamsConfig());
    String selfName = self.map(h -> h.host() + ":" + h.port()).orElse("local");
    DeletionRequests deletions =
        new DeletionRequests(app.streamsConfig(), settings.topics().userDeletions());
    LocalUserState state =
        new LocalUserState(
            streams, settings.popularity().publishIntervalMs(), System::currentTimeMillis);
    QueryRecommender recommender =
        new QueryRecommender(
            state,
            app.strategies(),
            app.model(),
            new ModelRecommender(settings.model(), settings.serving()),
            selfName,
            System::currentTimeMillis);
    ApiRoutes routes =
        new ApiRoutes(
            streams,
            registry,
            modelLoaded,
            new RequestParameters(settings.ingest().maxIdLength()),
            settings.serving().topK(),
            new KeyOwner(streams, self),
            new Forwarder(
                selfName, http.tls() ? ServerTls.clientContext(http) : null, token.authorization()),
            state,
            recommender,
            deletions,
            UserPseudonyms.of(settings.ingest()),
            settings.topics(),
            selfName);
    ModelMetrics.bind(registry, app.model(), System::currentTimeMillis);
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    JvmMeters jvm = JvmMeters.bindTo(registry);
    MetricsFeed feed = null;
    try {
      feed = new MetricsFeed(app.streamsConfig(), settings.topics().metrics(), FEED_HISTORY);
      MetricsFeed sse = feed;
      byte[] index = resource("/dashboard/index.html");
      Javalin javalin =
          Javalin.create(
              config -> {
                config.jsonMapper(new JavalinJackson(Json.newMapper(), false));
                config.startup.showJavalinBanner = false;
                config.jetty.host = http.bindAddress();
                config.http.maxRequestSize = http.maxRequestBytes();
                // Refuses a larger declared body with 413 before anything reads it, and bounds the
                // requests served at once.
                config.jetty.modifyServletContextHandler(
                    context -> {
                      context.insertHandler(new SizeLimitHandler(http.maxRequestBytes(), -1));
                      context.insertHandler(concurrencyLimit(http.maxConcurrentRequests()));
                    });
                if (http.tls()) {
                  config.jetty.addConnector(
                      (server, httpConfig) -> ServerTls.connector(http, port, server, httpConfig));
                }
                config.routes.beforeMatched(
                    ctx -> {
                      if (!OPEN_PATHS.contains(ctx.path()) && !token.admits(ctx)) {
                        ctx.header("WWW-Authenticate", "Bearer");
                        error(
                            ctx, 401, "a bearer token is required (recsys.http.auth.token)", null);
                        ctx.skipRemainingHandlers();
                      }
                    });
                config.staticFiles.add("/dashboard", Location.CLASSPATH);
                config.routes.get(
                    "/", ctx -> ctx.contentType("text/html; charset=utf-8").result(index));
                config.routes.get("/health", routes::health);
                config.routes.get("/ready", routes::ready);
                config.routes.get("/metrics", routes::metrics);
                config.routes.get("/users/{id}", routes::user);
                config.routes.delete("/users/{id}", routes::forget);
                config.routes.get("/users/{id}/recommendations", routes::recommendations);
                config.routes.sse("/events/metrics", sse::subscribe);
                config.routes.exception(
                    RequestParameters.BadParameter.class,
                    (e, ctx) -> error(ctx, 400, e.getMessage(), e.parameter()));
                config.routes.exception(
                    InvalidStateStoreException.class,
                    (e, ctx) -> {
                      ctx.header("Retry-After", "1");
                      error(ctx, 503, "state is not queryable yet (starting or rebalancing)", null);
                    });
                config.routes.exception(
                    Exception.class,
                    (e, ctx) -> {
                      LOG.warn("HTTP {} {} failed", ctx.method(), ctx.endpoint().path, e);
                      error(ctx, 500, "internal error: " + e.getClass().getSimpleName(), null);
                    });
                config.routes.error(
                    404,
                    "*",
                    ctx -> {
                      if (ctx.result() == null) {
                        error(ctx, 404, "no such resource: " + ctx.path(), null);
                      }
                    });
              });
      javalin.start(port);
      RecsysHttpServer server =
          new RecsysHttpServer(
              javalin, http.tls() ? "https" : "http", feed, streamsMetrics, jvm, deletions);
      LOG.info(
          "HTTP server listening on {}:{} (dashboard at {}{})",
          http.bindAddress(),
          javalin.port(),
          server.url(),
          token.required() ? "; a bearer token is required" : "");
      return server;
    } catch (RuntimeException e) {
      closeQuietly(feed);
      streamsMetrics.close();
      jvm.close();
      deletions.close();
      throw e;
    }
  }

  /** The port the server listens on. */
  public int port() {
    return javalin.port();
  }

  /** The dashboard's address on this machine. */
  public String url() {
    return scheme + "://localhost:" + port() + "/";
  }

  /**
   * At most {@code maxRequests} requests are served at once; more wait up to {@link
   * #MAX_QUEUED_WAIT} and are then refused with 503, instead of piling up threads and memory. The
   * dashboards' live feeds and the probes are not counted: a feed lasts as long as its page, and a
   * probe must answer under load.
   */
  private static QoSHandler concurrencyLimit(int maxRequests) {
    QoSHandler qos = new QoSHandler();
    qos.setMaxRequestCount(maxRequests);
    qos.setMaxSuspendedRequestCount(maxRequests * 16);
    qos.setMaxSuspend(MAX_QUEUED_WAIT);
    qos.setRejectStatusCode(503);
    qos.excludePath("/events/metrics", "/health", "/ready");
    return qos;
  }

  /**
   * Closing order: the metrics feed (its consumer, then the dashboards' event streams, which would
   * otherwise hold Jetty's graceful stop open), Jetty (stops accepting, finishes requests in
   * flight), then the Kafka Streams and JVM metrics bindings.
   */
  @Override
  public void close() {
    try {
      closeQuietly(feed);
      javalin.stop();
    } finally {
      streamsMetrics.close();
      jvm.close();
      deletions.close();
    }
  }

  static void error(Context ctx, int status, String message, String parameter) {
    ctx.status(status).json(new ApiError(status, message, parameter));
  }

  private static void closeQuietly(MetricsFeed feed) {
    if (feed == null) {
      return;
    }
    try {
      feed.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = RecsysHttpServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Missing classpath resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read classpath resource " + name, e);
    }
  }
}
