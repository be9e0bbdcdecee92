package io.recsys.app.evaluation;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.serving.CurrentModel;
import io.recsys.app.serving.ModelRecommender;
import io.recsys.app.serving.ModelUpdates.ModelVersion;
import io.recsys.features.UserFeatures;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.RecommendedItem;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import io.recsys.schemas.MetricsRecord;
import io.recsys.schemas.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "batch" arm of the online-versus-batch comparison: the same model, with the same settings
 * and the same training examples as the online trainer, but trained only at fixed boundaries of
 * event time (a nightly job by default), each time on the examples that arrived since the last
 * boundary; between boundaries it is frozen. It is scored on the same events with the same
 * prequential protocol as the pipeline: each event's item against the list its user held before
 * the event, with the user's seen items removed and the same minimum-history rule. The only
 * difference from the online model is when it learns, which is what the comparison is about
 * (Monolith reports online against batch training the same way).
 *
 * <p>Runs after the stream over the events the demo sent, in the order sent, so that it does not
 * take CPU from the pipeline being measured. Not thread-safe.
 */
public final class IntervalTrainedBaseline {
  private static final Logger LOG = LoggerFactory.getLogger(IntervalTrainedBaseline.class);
  private static final int SCORE_BATCH = 1024;

  private final RecsysSettings settings;
  private final Duration interval;
  private final int epochs;

  /**
   * @param settings the pipeline's settings: model size, learning rate, batch size, history
   *     rules, event weights and list length are taken from them
   * @param interval event time between trainings, for example one day
   * @param epochs passes over each interval's examples at each boundary
   */
  public IntervalTrainedBaseline(RecsysSettings settings, Duration interval, int epochs) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: must be positive, got " + interval);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
    }
    this.settings = settings;
    this.interval = interval;
    this.epochs = epochs;
  }

  /**
   * What the interval-trained copy scored.
   *
   * @param quality prequential HR@10 / NDCG@10 over the events where its user held a list from
   *     it, and how many did not (cold)
   * @param trainings boundaries at which it was trained
   * @param examplesTrained training examples folded in, epochs counted
   * @param seconds wall-clock time of this evaluation
   */
  public record Result(
      MetricsRecord.Quality quality, int trainings, long examplesTrained, double seconds) {}

  /** Replays {@code events} (valid ones, in the order the pipeline received them). */
  public Result evaluate(List<UserEvent> events) {
    long start = System.nanoTime();
    RecsysSettings.Learning learning = settings.learning();
    ModelRecommender recommender = new ModelRecommender(learning);
    int k = settings.topK();
    try (NextItemModel model =
        NextItemModel.create(
            ModelConfig.defaults()
                .withLearningRate(learning.learningRate())
                .withSequenceLength(learning.sequenceLength()),
            VocabularyConfig.defaults())) {
      CurrentModel.Loaded loaded =
          new CurrentModel.Loaded(new ModelVersion("interval", 0, 0), model);
      Map<String, UserFeatures> features = new HashMap<>();
      Map<String, Set<String>> seen = new HashMap<>();
      Map<String, List<String>> held = new HashMap<>();
      Set<String> pending = new LinkedHashSet<>();
      List<TrainingExample> sinceBoundary = new ArrayList<>();
      // Counted exactly as the pipeline counts: the copy takes the model slot, popularity unused.
      PrequentialEvaluator tally = new PrequentialEvaluator();
      long boundary = Long.MIN_VALUE;
      int trainings = 0;
      long trained = 0;
      for (UserEvent event : events) {
        if (boundary == Long.MIN_VALUE) {
          boundary = nextBoundary(event.eventTime());
        }
        if (event.eventTime() >= boundary) {
          // Lists made before the boundary were made by the old model; the users hold them.
          scorePending(loaded, recommender, features, seen, held, pending, k);
          trained += train(model, sinceBoundary);
          trainings++;
          sinceBoundary.clear();
          boundary = nextBoundary(event.eventTime());
        }
        String user = event.userId();
        if (pending.contains(user)) {
          scorePending(loaded, recommender, features, seen, held, pending, k);
        }
        List<String> list = held.get(user);
        tally.record(event.itemId(), list == null ? null : new HeldLists(list, List.of()));

        UserFeatures before = features.getOrDefault(user, UserFeatures.EMPTY);
        List<String> history = before.recentItems();
        if (history.isEmpty() || !history.get(history.size() - 1).equals(event.itemId())) {
          sinceBoundary.add(
              new TrainingExample(
                  learning.recent(history),
                  event.itemId(),
                  settings.weightOf(event.eventType()),
                  event.eventTime()));
        }
        features.put(user, before.withEvent(event, settings.recentItems()));
        seen.computeIfAbsent(user, u -> new HashSet<>()).add(event.itemId());
        pending.add(user);
      }
      LOG.info(
          "Interval-trained copy: {} trainings every {}, {} examples trained",
          trainings,
          interval,
          trained);
      return new Result(tally.totals().model(), trainings, trained, (System.nanoTime() - start) / 1e9);
    }
  }

  private long nextBoundary(long eventTime) {
    long step = interval.toMillis();
    return Math.floorDiv(eventTime, step) * step + step;
  }

  /** The online trainer's micro-batches, in arrival order, {@code epochs} times over. */
  private long train(NextItemModel model, List<TrainingExample> examples) {
    int batchSize = settings.learning().batchSize();
    long trained = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int from = 0; from < examples.size(); from += batchSize) {
        List<TrainingExample> batch =
            examples.subList(from, Math.min(examples.size(), from + batchSize));
        model.train(batch);
        trained += batch.size();
      }
    }
    return trained;
  }

  /** Makes the lists of the users whose last event has no list yet, in batches. */
  private static void scorePending(
      CurrentModel.Loaded loaded,
      ModelRecommender recommender,
      Map<String, UserFeatures> features,
      Map<String, Set<String>> seen,
      Map<String, List<String>> held,
      Set<String> pending,
      int k) {
    List<String> users = new ArrayList<>(SCORE_BATCH);
    List<List<String>> histories = new ArrayList<>(SCORE_BATCH);
    for (String user : pending) {
      Optional<List<String>> history =
          recommender.history(loaded, features.get(user).recentItems());
      if (history.isEmpty()) {
        held.put(user, List.of());
        continue;
      }
      users.add(user);
      histories.add(history.get());
      if (users.size() == SCORE_BATCH) {
        hold(loaded, recommender, seen, held, users, histories, k);
      }
    }
    hold(loaded, recommender, seen, held, users, histories, k);
    pending.clear();
  }

  private static void hold(
      CurrentModel.Loaded loaded,
      ModelRecommender recommender,
      Map<String, Set<String>> seen,
      Map<String, List<String>> held,
      List<String> users,
      List<List<String>> histories,
      int k) {
    if (users.isEmpty()) {
      return;
    }
    List<List<RecommendedItem>> candidates =
        loaded.recommendAll(histories, recommender.candidates(k));
    for (int i = 0; i < users.size(); i++) {
      Set<String> userSeen = seen.get(users.get(i));
      List<String> list = new ArrayList<>(k);
      for (RecommendedItem candidate : candidates.get(i)) {
        if (list.size() == k) {
          break;
        }
        if (!userSeen.contains(candidate.itemId())) {
          list.add(candidate.itemId());
        }
      }
      held.put(users.get(i), list);
    }
    users.clear();
    histories.clear();
  }
}
