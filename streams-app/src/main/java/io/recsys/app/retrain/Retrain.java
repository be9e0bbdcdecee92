package io.recsys.app.retrain;

import com.fasterxml.jackson.core.type.TypeReference;
import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.DeletedUsers;
import io.recsys.app.erasure.UserPseudonyms;
import io.recsys.app.history.TopicRangeReader;
import io.recsys.app.kafka.StreamsConfigFactory;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.Provenance;
import io.recsys.app.registry.RegisteredModel;
import io.recsys.model.NextItemModel;
import io.recsys.model.data.Interaction;
import io.recsys.model.evaluation.EpochProgress;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.LeaveOneOutEvaluation;
import io.recsys.model.evaluation.TimeSplitEvaluation;
import io.recsys.schemas.InvalidEventException;
import io.recsys.schemas.Json;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.TrainingExampleRecord;
import io.recsys.schemas.UserDeletionParser;
import io.recsys.schemas.UserEvent;
import io.recsys.schemas.UserEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code recsys retrain}: reads a range of {@code events} or {@code training-examples}, rebuilds
 * each user's history in a state directory of its own, trains with early stopping and registers the
 * best model with its provenance and evaluation.
 *
 * <p>It touches nothing of the live application: a group-less consumer (no commits, no group), no
 * producer, no Kafka Streams instance, and a work directory beside, never inside, the application's
 * state directory.
 */
public final class Retrain {
  private static final Logger LOG = LoggerFactory.getLogger(Retrain.class);

  private Retrain() {}

  /**
   * @param appConfig the application's configuration (connection settings, {@code recsys.*})
   * @param settings its parsed {@code recsys.*} settings
   * @param progress told after every epoch
   */
  public static RetrainResult run(
      Map<String, Object> appConfig,
      RecsysSettings settings,
      RetrainRequest request,
      Consumer<EpochProgress> progress)
      throws IOException {
    Path workDir = request.workDir() != null ? request.workDir() : defaultWorkDir(appConfig);
    try {
      return runIn(workDir, appConfig, settings, request, progress);
    } finally {
      if (request.workDir() == null) {
        deleteRecursively(workDir);
      }
    }
  }

  private static RetrainResult runIn(
      Path workDir,
      Map<String, Object> appConfig,
      RecsysSettings settings,
      RetrainRequest request,
      Consumer<EpochProgress> progress)
      throws IOException {
    String topic =
        request.source() == RetrainSource.EVENTS
            ? settings.topics().events()
            : settings.topics().trainingExamples();
    List<Interaction> interactions;
    TopicRangeReader.ReadSummary read;
    long[] invalid = new long[1];
    long[] forgotten = new long[1];
    // First, so that a user forgotten after these records were written is not learnt again.
    DeletedUsers deleted =
        DeletedUsers.read(
            appConfig,
            settings.topics().userDeletions(),
            new UserDeletionParser(settings.ingest().maxIdLength()),
            UserPseudonyms.of(settings.ingest()));
    if (deleted.size() > 0) {
      LOG.info("{} deleted user names in {}", deleted.size(), settings.topics().userDeletions());
    }
    try (RebuiltFeatures features =
        new RebuiltFeatures(workDir.resolve("features"), settings.recentItems())) {
      read =
          TopicRangeReader.read(
              appConfig,
              topic,
              request.range(),
              recordHandler(request, settings, features, deleted, invalid, forgotten));
      interactions = features.interactions();
      LOG.info(
          "Read {} records of {} in {} s ({} records/s); {} invalid skipped, {} of deleted"
              + " users skipped, {} out of range; {} items in the rebuilt histories",
          read.records(),
          topic,
          String.format("%.1f", read.seconds()),
          Math.round(read.recordsPerSecond()),
          invalid[0],
          forgotten[0],
          read.outOfRange(),
          interactions.size());
      if (invalid[0] > 0) {
        // The live pipeline dead-lettered these already; a retrain only says how many.
        LOG.warn("{} invalid records skipped (see the dead-letter topic for reasons)", invalid[0]);
      }
    }
    if (interactions.isEmpty()) {
      throw new IllegalArgumentException(
          "no valid records in " + topic + " " + request.range() + ": nothing to train on");
    }

    List<Double> epochSeconds = new ArrayList<>();
    double[] lastElapsed = new double[1];
    Consumer<EpochProgress> timed =
        p -> {
          epochSeconds.add(p.elapsedSeconds() - lastElapsed[0]);
          lastElapsed[0] = p.elapsedSeconds();
          progress.accept(p);
        };
    Map<String, Object> evaluation = new LinkedHashMap<>();
    NextItemModel model;
    if (request.protocol() == RetrainProtocol.LOO) {
      LeaveOneOutEvaluation.TrainedEvaluation trained =
          LeaveOneOutEvaluation.runKeepingModel(interactions, request.settings(), timed);
      model = trained.model();
      evaluation.putAll(EvaluationFigures.loo(trained.result()));
    } else {
      TimeSplitEvaluation.TrainedTimeSplit trained =
          TimeSplitEvaluation.run(
              interactions, request.settings(), request.validationFraction(), timed);
      model = trained.model();
      evaluation.putAll(EvaluationFigures.time(trained.result()));
    }
    evaluation.put("epochSeconds", epochSeconds);
    evaluation.put(
        "secondsPerEpoch", epochSeconds.stream().mapToDouble(d -> d).average().orElse(0));
    evaluation.put("source", "kafka:" + topic);
    evaluation.put("recordsRead", read.records());
    evaluation.put("readSeconds", read.seconds());
    evaluation.put("recordsPerSecond", read.recordsPerSecond());
    evaluation.put("invalidRecords", invalid[0]);
    evaluation.put("deletedUserRecords", forgotten[0]);
    evaluation.put("outOfRangeRecords", read.outOfRange());
    evaluation.put("interactions", interactions.size());

    try (model) {
      Path checkpoint = workDir.resolve("checkpoint.zip");
      model.save(checkpoint);
      Provenance provenance =
          new Provenance(
              "kafka:" + topic,
              request.range().fromMs(),
              request.range().toMs(),
              read.offsets(),
              read.records(),
              hyperparameters(request),
              request.settings().model().seed(),
              codeVersion(),
              System.currentTimeMillis());
      ModelRegistry registry = new ModelRegistry(Path.of(settings.instance().registryDir()));
      RegisteredModel registered = registry.register(checkpoint, provenance, evaluation);
      Files.deleteIfExists(checkpoint);
      LOG.info("Registered {} in {}", registered.name(), registry.root());
      return new RetrainResult(read, invalid[0], interactions.size(), evaluation, registered);
    }
  }

  /**
   * Folds each record into {@code features}; counts invalid records in {@code invalid} and records
   * of users deleted after they were written in {@code forgotten} (both skipped).
   */
  private static TopicRangeReader.RecordHandler recordHandler(
      RetrainRequest request,
      RecsysSettings settings,
      RebuiltFeatures features,
      DeletedUsers deleted,
      long[] invalid,
      long[] forgotten) {
    if (request.source() == RetrainSource.EVENTS) {
      UserEventParser parser = settings.ingest().newParser();
      return record -> {
        UserEvent event;
        try {
          event = parser.parse(record.key(), record.value());
        } catch (InvalidEventException e) {
          invalid[0]++;
          return;
        }
        if (deleted.forgets(event.userId(), record.timestamp())) {
          forgotten[0]++;
          return;
        }
        features.addEvent(event, settings.ingest().weightOf(event.eventType()));
      };
    }
    Deserializer<TrainingExampleRecord> examples = SchemaSerdes.trainingExample().deserializer();
    return record -> {
      if (record.value() == null) {
        // A deletion's marker: where a forgotten user's examples end.
        return;
      }
      TrainingExampleRecord example;
      try {
        example = examples.deserialize(record.topic(), record.value());
      } catch (RuntimeException e) {
        invalid[0]++;
        return;
      }
      if (example == null || example.userId() == null || example.userId().isBlank()) {
        invalid[0]++;
        return;
      }
      if (deleted.forgets(example.userId(), record.timestamp())) {
        forgotten[0]++;
        return;
      }
      // An example's target is the user's item at its event time; in time order they are the
      // user's sequence within the window. The example's own history is not replayed: its older
      // part lies before the range and must not train.
      features.addHistory(
          example.userId(), example.target(), example.weight(), example.eventTime());
    };
  }

  /**
   * A new directory next to the application's state, never inside its {@code application.id}
   * directory: {@code <state.dir>/retrain-<epoch ms>}.
   */
  static Path defaultWorkDir(Map<String, Object> appConfig) {
    return StreamsConfigFactory.stateDir(appConfig)
        .resolve("retrain-" + System.currentTimeMillis());
  }

  static Map<String, Object> hyperparameters(RetrainRequest request) {
    EvaluationSettings s = request.settings();
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("protocol", request.protocol().name().toLowerCase(java.util.Locale.ROOT));
    h.put("epochs", s.maxEpochs());
    h.put("patience", s.patience());
    h.put("lanes", s.lanes());
    h.put("window", s.window());
    h.put("training", s.mode().name());
    h.put("plateauDecay", s.plateauDecay());
    if (request.protocol() == RetrainProtocol.TIME) {
      h.put("validationFraction", request.validationFraction());
    }
    h.put(
        "model",
        Json.newMapper().convertValue(s.model(), new TypeReference<Map<String, Object>>() {}));
    return h;
  }

  /** The version in the jar manifest, or "development" when run from classes. */
  static String codeVersion() {
    String version = Retrain.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
