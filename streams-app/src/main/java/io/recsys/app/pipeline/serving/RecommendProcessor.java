package io.recsys.app.pipeline.serving;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.kafka.InstanceName;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.pipeline.state.UserActivity;
import io.recsys.app.pipeline.state.UserErasure;
import io.recsys.app.pipeline.state.UserInput;
import io.recsys.app.prequential.HeldLists;
import io.recsys.features.ItemNeighbours;
import io.recsys.features.PopularityRanking;
import io.recsys.features.PopularitySnapshot;
import io.recsys.model.CarriedStates;
import io.recsys.model.ModelConfig;
import io.recsys.model.RecommendedItem;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import io.recsys.schemas.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each user's top-K list after every accepted event, made by the strategy that {@link
 * StrategySelector} chooses for the user among the current model (when one is loaded and knows
 * enough of the user's recent items), {@link CooccurrenceRecommender} (neighbours of the user's
 * newest items, global store {@code item-neighbours}), {@link PopularityRecommender} and their
 * blend. Items the user interacted with are never recommended.
 *
 * <p>Scoring one user at a time costs the model a fixed overhead per call, so events are collected
 * for up to {@code recsys.serving.batch.wait.ms} (or {@code recsys.serving.batch.size} events) and
 * scored together. Waiting events sit in the changelogged store {@code serving-pending} as well as
 * in memory: if the instance dies before publishing them, the restored store still holds them
 * (their input offsets may already be committed) and {@link #init} schedules them again.
 *
 * <p>Before computing an event's new list it scores the event's item against the lists the user
 * held (store {@code user-held-lists}), the prequential protocol's test-then-train order. Reads
 * {@code user-seen-items} and the global popularity store. All stores are owned by Kafka Streams.
 *
 * <p>A {@link UserErasure} (the user asked to be forgotten) removes what serving keeps of the user
 * and publishes a tombstone for the user's list and a {@link DeletionReport}.
 */
public final class RecommendProcessor implements Processor<String, UserInput, String, Object> {
  /** Names of the stores this processor uses. */
  public record Stores(
      String seen, String popularity, String held, String pending, String neighbours) {}

  /** Names of the children: the recommendations sink and the deletion reports sink. */
  public record Children(String recommendations, String deletionReports) {}

  private static final Logger LOG = LoggerFactory.getLogger(RecommendProcessor.class);

  private final Stores stores;
  private final Children children;
  private final RecsysSettings.Serving settings;

  /** How long a merged popularity ranking is reused (the leaderboards' publish interval). */
  private final long popularityRefreshMs;

  private final Strategies strategies;
  private final ModelRecommender modelRecommender;
  private final CurrentModel model;
  private final CarriedStates states;
  private final PipelineMetrics metrics;
  private final TreeMap<Long, PendingActivity> batch = new TreeMap<>();
  private ProcessorContext<String, Object> context;
  private String instance;
  private SeenItems seen;
  private KeyValueStore<String, HeldLists> held;
  private KeyValueStore<Long, PendingActivity> pending;
  private ReadOnlyKeyValueStore<String, PopularitySnapshot> popularity;
  private ReadOnlyKeyValueStore<String, ItemNeighbours> neighbours;
  private PopularityRanking ranking = PopularityRanking.EMPTY;
  private long refreshedAt = Long.MIN_VALUE;
  private long nextSequence;
  private double checkCredit;

  public RecommendProcessor(
      Stores stores,
      Children children,
      RecsysSettings.Serving settings,
      ModelConfig modelSettings,
      long popularityRefreshMs,
      Strategies strategies,
      CurrentModel model,
      PipelineMetrics metrics) {
    this.stores = stores;
    this.children = children;
    this.settings = settings;
    this.popularityRefreshMs = popularityRefreshMs;
    this.strategies = strategies;
    this.modelRecommender = new ModelRecommender(modelSettings, settings);
    this.model = model;
    this.states = new CarriedStates(settings.stateSteps(), settings.stateUsers());
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.instance = InstanceName.of(context.appConfigs());
    KeyValueStore<String, Long> seenStore = context.getStateStore(stores.seen());
    this.seen = new SeenItems(seenStore, settings.seenItems());
    this.popularity = context.getStateStore(stores.popularity());
    if (strategies.cooccurrence() != null) {
      this.neighbours = context.getStateStore(stores.neighbours());
    }
    this.held = context.getStateStore(stores.held());
    this.pending = context.getStateStore(stores.pending());
    // Events a previous owner of this task read but did not publish.
    try (KeyValueIterator<Long, PendingActivity> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<Long, PendingActivity> entry = all.next();
        batch.put(entry.key, entry.value);
        nextSequence = Math.max(nextSequence, entry.key + 1);
      }
    }
    context.schedule(
        Duration.ofMillis(settings.batchWaitMs()), PunctuationType.WALL_CLOCK_TIME, now -> flush());
  }

  @Override
  public void process(Record<String, UserInput> record) {
    if (record.value() instanceof UserErasure erasure) {
      erase(erasure, record.timestamp());
      return;
    }
    long sequence = nextSequence++;
    PendingActivity entry = new PendingActivity((UserActivity) record.value(), record.timestamp());
    pending.put(sequence, entry);
    batch.put(sequence, entry);
    if (batch.size() >= settings.batchSize()) {
      flush();
    }
  }

  @Override
  public void close() {
    // Whatever is still in the batch stays in the pending store for the next owner.
    batch.clear();
  }

  /**
   * Forgets a user: the events of the user still waiting in the batch (they were read before the
   * deletion, and their lists would bring the user back), the lists the user held, the carried
   * state and the copy of the seen items; then publishes a tombstone for the user's list and one
   * report for the whole deletion, with what every step removed. The audit line names the request,
   * not the user.
   */
  private void erase(UserErasure erasure, long timestamp) {
    String userId = erasure.userId();
    long waiting = 0;
    var entries = batch.entrySet().iterator();
    while (entries.hasNext()) {
      var entry = entries.next();
      if (entry.getValue().activity().event().userId().equals(userId)) {
        pending.delete(entry.getKey());
        entries.remove();
        waiting++;
      }
    }
    Map<String, Long> removed = new TreeMap<>(erasure.removed());
    removed.put(stores.pending(), waiting);
    removed.put(stores.held(), held.delete(userId) == null ? 0L : 1L);
    removed.put("serving-carried-states", states.forget(userId) ? 1L : 0L);
    seen.forget(userId);
    removed.put("recommendations-tombstones", 1L);
    context.forward(
        new Record<String, Object>(userId, null, timestamp), children.recommendations());
    int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
    DeletionReport report =
        new DeletionReport(
            DeletionReport.SCHEMA_VERSION,
            erasure.deletion().requestId(),
            DeletionReport.PIPELINE,
            instance,
            partition,
            removed,
            context.currentSystemTimeMs());
    context.forward(
        new Record<String, Object>(report.requestId(), report, timestamp),
        children.deletionReports());
    metrics.userErased();
    LOG.info(
        "Deletion {} applied on partition {}: removed {}", report.requestId(), partition, removed);
  }

  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    refreshRankingIfDue(context.currentSystemTimeMs());
    List<PendingActivity> entries = new ArrayList<>(batch.values());
    List<Long> sequences = new ArrayList<>(batch.keySet());
    batch.clear();
    for (PendingActivity entry : entries) {
      UserEvent event = entry.activity().event();
      seen.add(event.userId(), event.itemId());
    }
    // One version for the whole batch: its lists, their version field and their reasons agree.
    Optional<CurrentModel.Loaded> loaded = model.get();
    Map<Integer, ModelCandidates> fromModel = scoreWithModel(loaded, entries);
    String version = loaded.map(m -> m.version().version()).orElse(null);
    List<Set<String>> unseenYet = touchedLater(entries);
    List<Recommendation> lists = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      lists.add(recommend(entries.get(i), fromModel.get(i), version, unseenYet.get(i)));
    }
    loaded.ifPresent(m -> explain(m, lists, fromModel));
    for (int i = 0; i < entries.size(); i++) {
      PendingActivity entry = entries.get(i);
      Recommendation list = lists.get(i);
      context.forward(
          new Record<String, Object>(list.userId(), list, entry.timestamp()),
          children.recommendations());
      metrics.recommendationSent(System.currentTimeMillis() - entry.timestamp());
      pending.delete(sequences.get(i));
    }
  }

  /**
   * The model's candidates for one entry and the history (model input) they came from.
   *
   * @param exhaustive for a checked entry, the candidates every item scored gives from the same
   *     state; null otherwise
   */
  private record ModelCandidates(
      List<String> history, List<RecommendedItem> items, List<RecommendedItem> exhaustive) {}

  /** Gives the model's lists among {@code lists} their reasons, in one model call. */
  private void explain(
      CurrentModel.Loaded loaded,
      List<Recommendation> lists,
      Map<Integer, ModelCandidates> fromModel) {
    List<Integer> at = new ArrayList<>();
    List<List<String>> histories = new ArrayList<>();
    List<Recommendation> learned = new ArrayList<>();
    for (int i = 0; i < lists.size(); i++) {
      if (lists.get(i).strategy() == Strategy.MODEL) {
        at.add(i);
        histories.add(fromModel.get(i).history());
        learned.add(lists.get(i));
      }
    }
    if (at.isEmpty()) {
      return;
    }
    List<Recommendation> explained = modelRecommender.explained(loaded, histories, learned);
    for (int j = 0; j < at.size(); j++) {
      lists.set(at.get(j), explained.get(j));
    }
  }

  /**
   * Per entry, the items its user touched for the first time in later entries of this batch. The
   * seen store already holds them, but they were unseen when the entry's event happened: the
   * entry's list is the one the user held after that event (and the next event is scored against
   * it), so it must not depend on how many later events the batch happened to collect. Without
   * this, a user's next item could never be a hit when both events land in one batch, as they do
   * whenever a backlog or a fast replay is processed.
   */
  private static List<Set<String>> touchedLater(List<PendingActivity> entries) {
    List<Set<String>> later = new ArrayList<>(Collections.nCopies(entries.size(), Set.of()));
    Map<String, Set<String>> firstTouches = new HashMap<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      UserActivity activity = entries.get(i).activity();
      Set<String> items = firstTouches.get(activity.event().userId());
      if (items != null) {
        later.set(i, Set.copyOf(items));
      }
      if (activity.firstTouch()) {
        firstTouches
            .computeIfAbsent(activity.event().userId(), user -> new HashSet<>())
            .add(activity.event().itemId());
      }
    }
    return later;
  }

  /** The model's candidates for every entry it knows enough about, in one batch; by index. */
  private Map<Integer, ModelCandidates> scoreWithModel(
      Optional<CurrentModel.Loaded> loaded, List<PendingActivity> entries) {
    Map<Integer, ModelCandidates> byIndex = new TreeMap<>();
    if (loaded.isEmpty()) {
      return byIndex;
    }
    List<Integer> indices = new ArrayList<>();
    List<String> users = new ArrayList<>();
    List<List<String>> histories = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      UserActivity activity = entries.get(i).activity();
      Optional<List<String>> history =
          modelRecommender.history(loaded.get(), activity.after().recentItems());
      if (history.isPresent()) {
        indices.add(i);
        users.add(activity.event().userId());
        histories.add(history.get());
      }
    }
    if (histories.isEmpty()) {
      return byIndex;
    }
    long stepped = states.stepped();
    long reread = states.reread();
    long kept = states.kept();
    long reused = states.reused();
    BitSet check = checksFor(loaded.get(), users.size());
    CarriedStates.Checked scored =
        states.recommend(
            loaded.get(), users, histories, modelRecommender.candidates(settings.topK()), check);
    List<List<RecommendedItem>> lists = scored.lists();
    metrics.modelBatch(
        users.size(),
        states.stepped() - stepped,
        states.reread() - reread,
        states.kept() - kept,
        states.reused() - reused);
    for (int j = 0; j < indices.size(); j++) {
      byIndex.put(
          indices.get(j),
          new ModelCandidates(histories.get(j), lists.get(j), scored.exhaustive().get(j)));
    }
    return byIndex;
  }

  /**
   * Which of the {@code events} the model scores now get checked against every item scored: an even
   * {@code recsys.serving.index.check.share} of them, while the model serves through an index
   * (without one, its lists are every item scored).
   */
  private BitSet checksFor(CurrentModel.Loaded loaded, int events) {
    BitSet check = new BitSet();
    if (loaded.model().retrieval() == null) {
      return check;
    }
    for (int j = 0; j < events; j++) {
      checkCredit += settings.indexCheckShare();
      if (checkCredit >= 1) {
        checkCredit -= 1;
        check.set(j);
      }
    }
    return check;
  }

  /**
   * Scores the entry's item against the lists its user held (test, then train), lets the selector
   * learn from it, and returns the user's new list, which the user now holds: the one the selector
   * chose among the model's (where it has one), co-occurrence's, popularity's and their blend.
   */
  private Recommendation recommend(
      PendingActivity entry, ModelCandidates candidates, String version, Set<String> unseenYet) {
    UserActivity activity = entry.activity();
    UserEvent event = activity.event();
    String userId = event.userId();
    HeldLists before = held.get(userId);
    Map<Strategy, Double> gains = metrics.prequential().record(event.itemId(), before);
    if (before != null) {
      strategies.selector().record(before.historyLength(), gains);
    }
    long now = System.currentTimeMillis();
    Set<String> seenItems = seen.of(userId);
    Predicate<String> seenByUser = item -> !unseenYet.contains(item) && seenItems.contains(item);
    int k = settings.topK();
    List<String> recent = activity.after().recentItems();
    Recommendation learned =
        candidates == null
            ? null
            : modelRecommender.recommendation(
                userId, candidates.items(), seenByUser, k, version, event.eventTime(), now);
    List<String> exhaustive =
        candidates == null || candidates.exhaustive() == null
            ? List.of()
            : itemIds(
                modelRecommender.recommendation(
                    userId,
                    candidates.exhaustive(),
                    seenByUser,
                    k,
                    version,
                    event.eventTime(),
                    now));
    if (!exhaustive.isEmpty()) {
      recordRecall(itemIds(learned), exhaustive);
    }
    StrategySelector.Choice choice =
        strategies.choose(
            new Strategies.ListRequest(userId, recent, seenByUser, k, event.eventTime(), now),
            ranking,
            neighbours == null ? item -> null : neighbours::get,
            learned,
            true);
    held.put(
        userId,
        new HeldLists(
            itemIds(choice.lists().get(Strategy.MODEL)),
            itemIds(choice.lists().get(Strategy.POPULARITY)),
            itemIds(choice.lists().get(Strategy.COOCCURRENCE)),
            itemIds(choice.blend()),
            choice.served().strategy(),
            recent.size(),
            exhaustive));
    metrics.served(choice.served().strategy());
    return choice.served();
  }

  /** Adds a checked list to the index's recall: how much of every item's top k it holds. */
  private void recordRecall(List<String> viaIndex, List<String> exhaustive) {
    model
        .retrieval()
        .ifPresent(
            retrieval -> {
              Set<String> returned = new HashSet<>(viaIndex);
              int found = 0;
              for (String item : exhaustive) {
                found += returned.contains(item) ? 1 : 0;
              }
              retrieval.recall().add(found, exhaustive.size());
            });
  }

  private static List<String> itemIds(Recommendation recommendation) {
    if (recommendation == null) {
      return List.of();
    }
    List<ScoredItem> items = recommendation.items();
    List<String> ids = new ArrayList<>(items.size());
    items.forEach(item -> ids.add(item.itemId()));
    return ids;
  }

  private void refreshRankingIfDue(long now) {
    if (refreshedAt != Long.MIN_VALUE && now - refreshedAt < popularityRefreshMs) {
      return;
    }
    ranking = PopularityRanking.merge(snapshots(popularity));
    refreshedAt = now;
  }

  /** Every partition's snapshot in the global popularity store. */
  public static List<PopularitySnapshot> snapshots(
      ReadOnlyKeyValueStore<String, PopularitySnapshot> store) {
    List<PopularitySnapshot> snapshots = new ArrayList<>();
    try (KeyValueIterator<String, PopularitySnapshot> all = store.all()) {
      all.forEachRemaining(entry -> snapshots.add(entry.value));
    }
    return snapshots;
  }
}
