package io.recsys.app.replay;

import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.kafka.StreamsConfigFactory;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.app.modelsync.VersionChain;
import io.recsys.app.prequential.PrequentialEvaluator;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.RegisteredModel;
import io.recsys.app.replay.ReplayRequest.LiveModel;
import io.recsys.app.replay.ReplayRequest.NoModel;
import io.recsys.app.replay.ReplayRequest.RegistryModel;
import io.recsys.model.NextItemModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a time range of the live {@code events} topic through the whole pipeline into a topic of
 * the caller's choosing, leaving the live application alone.
 *
 * <p>The replay is a separate Kafka Streams application ({@code <application.id>-replay-<time>})
 * with a fresh state directory, so features and popularity are rebuilt from the first replayed
 * event, and with every topic it writes renamed to that prefix except the output topic: the live
 * application's state, consumer group and topics are never touched. The events in range are first
 * copied into a private topic (see {@link EventRangeCopier}), which gives the replay an end. One
 * fixed model version scores every event. When the replay is done its private topics, consumer
 * group and state directory are deleted; the output topic stays.
 */
public final class Replay {
  private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  private Replay() {}

  /**
   * Runs a replay to its end.
   *
   * @param liveConfig the live application's configuration ({@code recsys.*}, Kafka Streams and
   *     client settings)
   * @param timeout how long the replayed pipeline may take once started
   * @param progress told a human-readable line now and then
   * @throws IllegalArgumentException if the output topic is one of the live topics, or the registry
   *     has no such version
   */
  public static ReplayResult run(
      Map<String, Object> liveConfig,
      ReplayRequest request,
      Duration timeout,
      Consumer<String> progress)
      throws IOException, InterruptedException {
    RecsysSettings live = RecsysConfig.parse(liveConfig);
    refuseLiveOutput(live, request.outputTopic());
    String liveId =
        String.valueOf(liveConfig.getOrDefault(StreamsConfig.APPLICATION_ID_CONFIG, "recsys"));
    String replayId = liveId + "-replay-" + System.currentTimeMillis();
    Path stateDir = Files.createTempDirectory(stateBase(liveConfig), replayId + "-");
    Map<String, Object> config = replayConfig(liveConfig, replayId, stateDir, request);
    long started = System.nanoTime();
    try {
      // The model first: a request for a missing registry version fails before any copying.
      Optional<LoadedVersion> model = loadModel(live, liveConfig, request.model());
      progress.accept(
          "replay: scoring with "
              + model.map(m -> "model " + m.version().version()).orElse("popularity only")
              + "; copying events in range from "
              + live.topics().events());
      EventRangeCopier.Copied copied =
          EventRangeCopier.copy(
              liveConfig, live.topics().events(), replayId + "-events", request.range());
      progress.accept(
          "replay: %,d of %,d scanned events are in range; replaying into %s"
              .formatted(copied.copied(), copied.scanned(), request.outputTopic()));
      PipelineMetrics metrics = PipelineMetrics.inMemory();
      // Closing the app flushes and commits what the replay wrote before the figures are read.
      try (RecsysApp app = RecsysApp.create(config, metrics)) {
        model.ifPresent(m -> app.model().swap(m.version(), m.model()));
        app.start();
        awaitAnswered(app, copied.copied(), timeout, started, progress);
      }
      PrequentialEvaluator.Window quality = metrics.prequential().totals();
      return new ReplayResult(
          copied.scanned(),
          copied.copied(),
          (long) metrics.recommendations(),
          (long) metrics.deadLetters(),
          model.map(m -> m.version().version()).orElse("popularity"),
          (System.nanoTime() - started) / 1e9,
          quality.model(),
          quality.popularity());
    } finally {
      cleanUp(liveConfig, replayId, stateDir);
    }
  }

  private record LoadedVersion(ModelVersion version, NextItemModel model) {}

  private static void refuseLiveOutput(RecsysSettings live, String output) {
    RecsysSettings.Topics t = live.topics();
    for (String liveTopic :
        List.of(
            t.events(),
            t.deadLetters(),
            t.recommendations(),
            t.itemEvents(),
            t.popularity(),
            t.itemPairs(),
            t.itemNeighbours(),
            t.trainingExamples(),
            t.modelUpdates(),
            t.metrics())) {
      if (liveTopic.equals(output)) {
        throw new IllegalArgumentException(
            "--output-topic: '"
                + output
                + "' is one of the live application's topics; a replay writes to a topic of its"
                + " own");
      }
    }
  }

  private static Map<String, Object> replayConfig(
      Map<String, Object> liveConfig, String replayId, Path stateDir, ReplayRequest request) {
    Map<String, Object> config = new HashMap<>(liveConfig);
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, replayId);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
    config.put(RecsysConfig.EVENTS_TOPIC_CONFIG, replayId + "-events");
    config.put(RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG, request.outputTopic());
    config.put(RecsysConfig.DLQ_TOPIC_CONFIG, replayId + "-dlq");
    config.put(RecsysConfig.ITEM_EVENTS_TOPIC_CONFIG, replayId + "-item-events");
    config.put(RecsysConfig.POPULARITY_TOPIC_CONFIG, replayId + "-popularity");
    config.put(RecsysConfig.ITEM_PAIRS_TOPIC_CONFIG, replayId + "-item-pairs");
    config.put(RecsysConfig.ITEM_NEIGHBOURS_TOPIC_CONFIG, replayId + "-item-neighbours");
    config.put(RecsysConfig.TRAINING_EXAMPLES_TOPIC_CONFIG, replayId + "-training-examples");
    config.put(RecsysConfig.METRICS_TOPIC_CONFIG, replayId + "-metrics");
    // Nothing publishes here: the follower idles and the version loaded up front stays.
    config.put(RecsysConfig.MODEL_UPDATES_TOPIC_CONFIG, replayId + "-model-updates");
    config.put(RecsysConfig.TRAINER_ENABLED_CONFIG, "false");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(
        RecsysConfig.MODEL_ENABLED_CONFIG, Boolean.toString(!(request.model() instanceof NoModel)));
    return config;
  }

  private static Optional<LoadedVersion> loadModel(
      RecsysSettings live, Map<String, Object> liveConfig, ReplayRequest.ModelChoice choice)
      throws IOException {
    if (choice instanceof RegistryModel registryModel) {
      ModelRegistry registry = new ModelRegistry(Path.of(live.instance().registryDir()));
      RegisteredModel registered =
          registry
              .get(registryModel.version())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--model: the registry in "
                              + registry.root()
                              + " has no version v"
                              + registryModel.version()));
      Long through = registered.provenance().toTimestamp();
      ModelVersion version =
          new ModelVersion(
              registered.name(),
              registered.provenance().createdAt(),
              through == null ? registered.provenance().createdAt() : through);
      return Optional.of(new LoadedVersion(version, load(registered.checkpoint())));
    }
    if (choice instanceof LiveModel && live.serving().modelEnabled()) {
      Optional<VersionChain.Built> newest;
      try {
        newest = LatestModelVersion.read(liveConfig, live.topics().modelUpdates());
      } catch (IOException e) {
        throw new IOException(
            "--model live: the newest version does not load: " + e.getMessage(), e);
      }
      if (newest.isEmpty()) {
        LOG.warn(
            "No model version on {} yet: the replay scores with popularity only",
            live.topics().modelUpdates());
        return Optional.empty();
      }
      return Optional.of(new LoadedVersion(newest.get().version(), newest.get().model()));
    }
    return Optional.empty();
  }

  private static NextItemModel load(Path checkpoint) throws IOException {
    try {
      return NextItemModel.load(checkpoint);
    } catch (IOException | RuntimeException e) {
      throw new IOException("--model: cannot load the checkpoint " + checkpoint + ": " + e, e);
    }
  }

  /** Every replayed event is answered: a recommendation, or a dead letter for a bad record. */
  private static void awaitAnswered(
      RecsysApp app, long expected, Duration timeout, long started, Consumer<String> progress)
      throws InterruptedException {
    PipelineMetrics metrics = app.metrics();
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
    while (metrics.recommendations() + metrics.deadLetters() < expected) {
      KafkaStreams.State state = app.streams().state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        throw new KafkaException("the replay's pipeline stopped in state " + state);
      }
      if (System.nanoTime() > deadline) {
        throw new KafkaException(
            "replay did not finish within %s: %,.0f of %,d events answered"
                .formatted(timeout, metrics.recommendations() + metrics.deadLetters(), expected));
      }
      if (System.nanoTime() >= nextProgress) {
        double answered = metrics.recommendations() + metrics.deadLetters();
        double seconds = (System.nanoTime() - started) / 1e9;
        progress.accept(
            "replay: %,.0f / %,d events (%.0f%%), %.0f events/s"
                .formatted(answered, expected, 100 * answered / expected, answered / seconds));
        nextProgress += PROGRESS_EVERY.toNanos();
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static Path stateBase(Map<String, Object> liveConfig) throws IOException {
    return Files.createDirectories(StreamsConfigFactory.stateDir(liveConfig));
  }

  /** Deletes the replay's private topics, consumer group and state; keeps the output topic. */
  private static void cleanUp(Map<String, Object> liveConfig, String replayId, Path stateDir) {
    try (Admin admin =
        Admin.create(ClientConfigs.subset(liveConfig, AdminClientConfig.configNames()))) {
      List<String> topics =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(name -> name.startsWith(replayId + "-"))
              .toList();
      if (!topics.isEmpty()) {
        admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
      }
      admin.deleteConsumerGroups(List.of(replayId)).all().get(30, TimeUnit.SECONDS);
      LOG.info(
          "Replay {}: deleted {} private topics and its consumer group", replayId, topics.size());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn(
          "Replay {}: could not delete its private topics or group: {}", replayId, e.toString());
    }
    try (Stream<Path> paths = Files.walk(stateDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Replay::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Replay {}: could not delete {}: {}", replayId, stateDir, e.toString());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
