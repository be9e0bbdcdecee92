package io.recsys.app.demo;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.app.pipeline.serving.ModelRecommender;
import io.recsys.app.prequential.HeldLists;
import io.recsys.app.prequential.PrequentialEvaluator;
import io.recsys.app.training.MicroBatchStep;
import io.recsys.features.UserFeatures;
import io.recsys.model.NextItemModel;
import io.recsys.model.RecommendedItem;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import io.recsys.schemas.MetricsRecord;
import io.recsys.schemas.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "batch" arm of the online-versus-batch comparison: the same model, with the same settings and
 * the same training examples as the online trainer, but trained only at fixed boundaries of event
 * time (a nightly job by default), each time on the examples that arrived since the last boundary;
 * between boundaries it is frozen. It is scored on the same events with the same prequential
 * protocol as the pipeline: each event's item against the list its user held before the event, with
 * the user's seen items removed and the same minimum-history rule. The only difference from the
 * online model is when it learns, which is what the comparison is about (Monolith reports online
 * against batch training the same way).
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
   * @param settings the pipeline's settings: model size, learning rate, batch size, history rules,
   *     event weights and list length are taken from them
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
   * @param quality prequential HR@10 / NDCG@10 over the events where its user held a list from it,
   *     and how many did not (cold)
   * @param trainings boundaries at which it was trained
   * @param examplesTrained training examples folded in, epochs counted
   * @param seconds wall-clock time of this evaluation
   */
  public record Result(
      MetricsRecord.Quality quality, int trainings, long examplesTrained, double seconds) {}

  /** Replays {@code events} (valid ones, in the order the pipeline received them). */
  public Result evaluate(List<UserEvent> events) {
    long start = System.nanoTime();
    try (NextItemModel model =
        NextItemModel.create(settings.model(), VocabularyConfig.defaults())) {
      Replay replay =
          new Replay(
              new CurrentModel.Loaded(new ModelVersion("interval", 0, 0), model),
              new ModelRecommender(settings.model(), settings.serving()));
      int trainings = 0;
      long trained = 0;
      int from = 0;
      while (from < events.size()) {
        // An interval ends at the first event at or past its boundary; the model is frozen in it.
        long boundary = nextBoundary(events.get(from).eventTime());
        int to = from;
        while (to < events.size() && events.get(to).eventTime() < boundary) {
          to++;
        }
        List<TrainingExample> examples = replay.interval(events, from, to);
        from = to;
        if (from < events.size()) {
          trained += train(model, examples);
          trainings++;
        }
      }
      LOG.info(
          "Interval-trained copy: {} trainings every {}, {} examples trained",
          trainings,
          interval,
          trained);
      return new Result(
          replay.tally.totals().model(), trainings, trained, (System.nanoTime() - start) / 1e9);
    }
  }

  /** The per-user state of the replay and the scoring of one interval at a time. */
  private final class Replay {
    final CurrentModel.Loaded loaded;
    final ModelRecommender recommender;
    final Map<String, UserFeatures> features = new HashMap<>();

    /** Per user, each item's position in the event list when first seen. */
    final Map<String, Map<String, Integer>> firstSeen = new HashMap<>();

    /** Lists made at the end of an earlier interval, by the model of that time. */
    final Map<String, List<String>> held = new HashMap<>();

    // Counted exactly as the pipeline counts: the copy takes the model slot, popularity unused.
    final PrequentialEvaluator tally = new PrequentialEvaluator();

    Replay(CurrentModel.Loaded loaded, ModelRecommender recommender) {
      this.loaded = loaded;
      this.recommender = recommender;
    }

    /**
     * Scores events {@code from..to-1}, all under the model as it is now, and returns their
     * training examples. A user's list for an event is the one made after their previous event: by
     * this model if that event is in this interval (scored here, in batches), else the one held
     * since the end of an earlier interval.
     */
    List<TrainingExample> interval(List<UserEvent> events, int from, int to) {
      List<TrainingExample> examples = new ArrayList<>();
      List<List<String>> lists = new ArrayList<>(Collections.nCopies(to - from, null));
      Set<String> touched = new LinkedHashSet<>();
      List<Integer> queries = new ArrayList<>();
      List<List<String>> histories = new ArrayList<>();
      for (int i = from; i < to; i++) {
        UserEvent event = events.get(i);
        String user = event.userId();
        UserFeatures before = features.getOrDefault(user, UserFeatures.EMPTY);
        if (touched.contains(user)) {
          queries.add(i);
          histories.add(before.recentItems());
        } else {
          lists.set(i - from, held.get(user));
        }
        List<String> history = before.recentItems();
        if (before.movesTo(event.itemId())) {
          examples.add(
              new TrainingExample(
                  settings.model().recent(history),
                  event.itemId(),
                  settings.ingest().weightOf(event.eventType()),
                  event.eventTime()));
        }
        features.put(user, before.withEvent(event, settings.recentItems()));
        firstSeen.computeIfAbsent(user, u -> new HashMap<>()).putIfAbsent(event.itemId(), i);
        touched.add(user);
      }
      List<String> users = new ArrayList<>(queries.size());
      for (int i : queries) {
        users.add(events.get(i).userId());
      }
      List<List<String>> made = lists(users, histories, queries);
      for (int q = 0; q < queries.size(); q++) {
        lists.set(queries.get(q) - from, made.get(q));
      }
      for (int i = from; i < to; i++) {
        List<String> list = lists.get(i - from);
        tally.record(events.get(i).itemId(), list == null ? null : new HeldLists(list, List.of()));
      }
      // What these users hold into the next interval: made by this model, before it trains.
      List<String> holders = new ArrayList<>(touched);
      List<List<String>> finalHistories = new ArrayList<>(holders.size());
      List<Integer> now = new ArrayList<>(holders.size());
      for (String user : holders) {
        finalHistories.add(features.get(user).recentItems());
        now.add(to);
      }
      List<List<String>> finalLists = lists(holders, finalHistories, now);
      for (int u = 0; u < holders.size(); u++) {
        held.put(holders.get(u), finalLists.get(u));
      }
      return examples;
    }

    /**
     * The model's lists for these users with these recent items, without the items each had seen
     * before position {@code asOf}; an empty list where the model knows too few of the items.
     */
    List<List<String>> lists(List<String> users, List<List<String>> recent, List<Integer> asOf) {
      int k = settings.serving().topK();
      List<List<String>> lists = new ArrayList<>(Collections.nCopies(users.size(), List.of()));
      List<Integer> scored = new ArrayList<>(SCORE_BATCH);
      List<List<String>> batch = new ArrayList<>(SCORE_BATCH);
      for (int i = 0; i <= users.size(); i++) {
        if (i < users.size()) {
          Optional<List<String>> history = recommender.history(loaded, recent.get(i));
          if (history.isPresent()) {
            scored.add(i);
            batch.add(history.get());
          }
        }
        if (batch.size() == SCORE_BATCH || (i == users.size() && !batch.isEmpty())) {
          List<List<RecommendedItem>> candidates =
              loaded.recommendAll(batch, recommender.candidates(k));
          for (int b = 0; b < batch.size(); b++) {
            int index = scored.get(b);
            Map<String, Integer> seen = firstSeen.get(users.get(index));
            int cutoff = asOf.get(index);
            List<String> list = new ArrayList<>(k);
            for (RecommendedItem candidate : candidates.get(b)) {
              if (list.size() == k) {
                break;
              }
              Integer seenAt = seen.get(candidate.itemId());
              if (seenAt == null || seenAt >= cutoff) {
                list.add(candidate.itemId());
              }
            }
            lists.set(index, list);
          }
          scored.clear();
          batch.clear();
        }
      }
      return lists;
    }
  }

  private long nextBoundary(long eventTime) {
    long step = interval.toMillis();
    return Math.floorDiv(eventTime, step) * step + step;
  }

  /** The online trainer's micro-batches, in arrival order, {@code epochs} times over. */
  private long train(NextItemModel model, List<TrainingExample> examples) {
    int batchSize = settings.trainer().batchSize();
    long trained = 0;
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int from = 0; from < examples.size(); from += batchSize) {
        List<TrainingExample> batch =
            examples.subList(from, Math.min(examples.size(), from + batchSize));
        MicroBatchStep.train(model, batch, batchSize);
        trained += batch.size();
      }
    }
    return trained;
  }
}
