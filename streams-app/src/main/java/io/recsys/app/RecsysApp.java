package io.recsys.app;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.http.HttpEndpoint;
import io.recsys.app.http.ServedInstance;
import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.kafka.ClusterCheck;
import io.recsys.app.kafka.StateRecovery;
import io.recsys.app.kafka.StreamsConfigFactory;
import io.recsys.app.kafka.TopicProvisioner;
import io.recsys.app.metrics.MeasuredInstance;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.metrics.TrainerMetrics;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.modelsync.IndexMaintainer;
import io.recsys.app.modelsync.ModelFollower;
import io.recsys.app.pipeline.RecsysTopology;
import io.recsys.app.pipeline.serving.Strategies;
import io.recsys.app.training.Trainer;
import io.recsys.app.training.TrainerLease;
import io.recsys.features.RocksDBMemoryBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the pipeline against a Kafka cluster.
 *
 * <p>Besides the Kafka Streams topology, an instance runs a {@link ModelFollower} (keeps the
 * serving model current) and, where enabled, the {@link Trainer}. See {@link #close()} for the
 * closing order.
 */
public final class RecsysApp implements ServedInstance, MeasuredInstance, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RecsysApp.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final RecsysSettings settings;
  private final RocksDBMemoryBudget budget;
  private final KafkaStreams streams;
  private final String applicationId;
  private final PipelineMetrics metrics;
  private final Map<String, Object> streamsConfig;
  private final CurrentModel model;
  private final Strategies strategies;
  private final TrainerMetrics trainerMetrics;
  private final StateRecovery recovery;
  private ModelFollower follower;
  private TrainerLease lease;

  private RecsysApp(
      RecsysSettings settings,
      RocksDBMemoryBudget budget,
      KafkaStreams streams,
      String applicationId,
      PipelineMetrics metrics,
      Map<String, Object> streamsConfig,
      CurrentModel model,
      Strategies strategies,
      StateRecovery recovery) {
    this.metrics = metrics;
    this.strategies = strategies;
    this.recovery = recovery;
    this.streamsConfig = streamsConfig;
    this.model = model;
    this.trainerMetrics = new TrainerMetrics(metrics.registry());
    this.settings = settings;
    this.budget = budget;
    this.streams = streams;
    this.applicationId = applicationId;
  }

  /**
   * Starts processing, and the model follower and trainer where enabled; state listeners must be
   * set on {@link #streams()} before this.
   */
  public void start() {
    if (settings.serving().modelEnabled()) {
      follower = new ModelFollower(streamsConfig, settings.topics().modelUpdates(), model);
    }
    if (settings.trainer().enabled()) {
      // Trains once it holds the lease: at once when it is the deployment's only trainer, after
      // the active one dies when it stands by.
      lease =
          new TrainerLease(
              streamsConfig,
              settings.topics().trainerLease(),
              applicationId + "-trainer-lease",
              settings.trainer().leaseTimeoutMs(),
              () ->
                  new Trainer(
                      settings.trainer(),
                      settings.modelSync(),
                      settings.model(),
                      settings.topics(),
                      streamsConfig,
                      trainerDir(),
                      trainerMetrics));
    }
    recovery.starting();
    streams.start();
    LOG.info(
        "Pipeline started: application.id={}, reading {}",
        applicationId,
        settings.topics().events());
  }

  /**
   * Creates missing topics and starts the pipeline; returns without waiting for it to run.
   *
   * @param config {@code recsys.*} settings plus any Kafka Streams or client setting; must name
   *     {@code bootstrap.servers}
   */
  public static RecsysApp start(Map<String, ?> config) {
    RecsysApp app = create(config, PipelineMetrics.inMemory());
    app.start();
    return app;
  }

  /**
   * Creates missing topics and builds the pipeline without starting it.
   *
   * @param metrics where the pipeline records its counters (exported by the caller's registry)
   */
  public static RecsysApp create(Map<String, ?> config, PipelineMetrics metrics) {
    RecsysSettings settings = RecsysConfig.validate(config);
    RocksDBMemoryBudget budget = new RocksDBMemoryBudget(settings.instance().rocksDbMemoryBytes());
    try {
      Map<String, Object> streamsConfig =
          StreamsConfigFactory.build(config, settings.topics(), settings.instance().id(), budget);
      HttpEndpoint.configure(streamsConfig, settings.http().port());
      try (Admin admin = Admin.create(adminConfig(streamsConfig))) {
        ClusterCheck.awaitReachable(
            admin,
            streamsConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG),
            Duration.ofMillis(settings.instance().startupTimeoutMs()));
        TopicProvisioner.provision(admin, settings);
      }
      Properties properties = new Properties();
      properties.putAll(streamsConfig);
      String applicationId = (String) streamsConfig.get(StreamsConfig.APPLICATION_ID_CONFIG);
      StateRecovery recovery =
          StateRecovery.open(
              StreamsConfigFactory.stateDir(streamsConfig).resolve(applicationId),
              StreamsConfig.EXACTLY_ONCE_V2.equals(
                  streamsConfig.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
      // Before Kafka Streams opens every store only to find it uncommitted and wipe it.
      recovery.discardUncommittedState();
      CurrentModel model = new CurrentModel(new IndexMaintainer(settings.serving().index()));
      Strategies strategies = Strategies.of(settings);
      KafkaStreams streams =
          new KafkaStreams(RecsysTopology.build(settings, metrics, model, strategies), properties);
      streams.setGlobalStateRestoreListener(recovery);
      streams.setStateListener(recovery);
      streams.setUncaughtExceptionHandler(
          error -> {
            LOG.error("Stream thread failed; replacing it", error);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
          });
      return new RecsysApp(
          settings,
          budget,
          streams,
          applicationId,
          metrics,
          streamsConfig,
          model,
          strategies,
          recovery);
    } catch (RuntimeException e) {
      budget.close();
      throw e;
    }
  }

  private static Map<String, Object> adminConfig(Map<String, Object> streamsConfig) {
    Object bootstrap = streamsConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (bootstrap == null) {
      throw new ConfigException(
          AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, null, "required to reach the cluster");
    }
    return ClientConfigs.subset(streamsConfig, AdminClientConfig.configNames());
  }

  private Path trainerDir() {
    String configured = settings.trainer().dir();
    if (!configured.isBlank()) {
      return Path.of(configured);
    }
    return StreamsConfigFactory.stateDir(streamsConfig).resolve(applicationId + "-trainer");
  }

  /** The trainer's figures (all zero when this process runs no trainer). */
  @Override
  public TrainerMetrics trainerMetrics() {
    return trainerMetrics;
  }

  /** Whether this process trains now (it holds the trainer lease). */
  @Override
  public boolean trainerRunning() {
    return trainer().isPresent();
  }

  /** Off-heap memory the RocksDB stores of this instance hold now (block cache and memtables). */
  public long rocksDbUsedBytes() {
    return budget.usedBytes();
  }

  /**
   * Bytes of SST files the RocksDB stores of this instance hold on disk (Kafka Streams' {@code
   * total-sst-files-size}, summed over stores): the size of the state, which the memory budget caps
   * only in what it caches. Once the state outgrows the block cache, reads go to the files, so a
   * soak watches both.
   */
  public long stateFileBytes() {
    long total = 0;
    for (Metric metric : streams.metrics().values()) {
      MetricName name = metric.metricName();
      if (name.group().equals("stream-state-metrics")
          && name.name().equals("total-sst-files-size")
          && metric.metricValue() instanceof Number bytes) {
        total += bytes.longValue();
      }
    }
    return total;
  }

  /** The trainer of this process while it trains (holds the lease); empty on a standby. */
  public Optional<Trainer> trainer() {
    return lease == null ? Optional.empty() : lease.trainer();
  }

  /** The model version serving uses. */
  @Override
  public CurrentModel model() {
    return model;
  }

  @Override
  public Strategies strategies() {
    return strategies;
  }

  @Override
  public RecsysSettings settings() {
    return settings;
  }

  /** The Kafka Streams and client configuration this instance runs with (read-only). */
  @Override
  public Map<String, Object> streamsConfig() {
    return java.util.Collections.unmodifiableMap(streamsConfig);
  }

  @Override
  public PipelineMetrics metrics() {
    return metrics;
  }

  @Override
  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Tells {@code listener} of every Kafka Streams state change (besides this instance's own
   * listener); call before {@link #start()}.
   */
  public void setStateListener(KafkaStreams.StateListener listener) {
    streams.setStateListener(
        (now, before) -> {
          recovery.onChange(now, before);
          listener.onChange(now, before);
        });
  }

  /** Waits until every task is running (stores restored) or the timeout passes. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline
          || !streams.state().isRunningOrRebalancing()
              && streams.state() != KafkaStreams.State.CREATED) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /**
   * Closing order: the trainer (final checkpoint) and its lease, the model follower, Kafka Streams
   * (flushes and closes the stores), the serving model, then the RocksDB memory budget.
   */
  @Override
  public void close() {
    try {
      if (lease != null) {
        lease.close();
      }
      if (follower != null) {
        follower.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      // Leaving the group hands this instance's tasks to the others at once (to their warm
      // standbys), instead of after the session timeout; a restart under the same static id
      // takes them back with one rebalance.
      boolean closed =
          streams.close(
              CloseOptions.timeout(CLOSE_TIMEOUT)
                  .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
      if (closed) {
        recovery.closedCleanly();
      }
    } finally {
      model.close();
      budget.close();
    }
  }
}
