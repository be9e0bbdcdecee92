package io.recsys.app.pipeline;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.UserPseudonyms;
import io.recsys.app.kafka.Topic;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.app.pipeline.ingest.DeletionValidationProcessor;
import io.recsys.app.pipeline.ingest.EventValidationProcessor;
import io.recsys.app.pipeline.serving.PendingActivity;
import io.recsys.app.pipeline.serving.RecommendProcessor;
import io.recsys.app.pipeline.serving.Strategies;
import io.recsys.app.pipeline.state.GlobalStoreUpdater;
import io.recsys.app.pipeline.state.ItemCooccurrenceProcessor;
import io.recsys.app.pipeline.state.ItemPopularityProcessor;
import io.recsys.app.pipeline.state.UserErasureProcessor;
import io.recsys.app.pipeline.state.UserFeaturesProcessor;
import io.recsys.app.prequential.HeldLists;
import io.recsys.features.FeatureSerdes;
import io.recsys.features.ItemNeighbours;
import io.recsys.features.ItemPairs;
import io.recsys.features.PopularitySnapshot;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.JsonSerde;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import io.recsys.schemas.TrainingExampleRecord;
import io.recsys.schemas.UserDeletionParser;
import io.recsys.schemas.UserEvent;
import io.recsys.schemas.UserEventParser;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the pipeline's topology; {@code main} and the tests build it through this one method.
 *
 * <pre>
 * events ─► validate ─┬─► events-dlq                      (bad input, bytes + reason headers)
 *                     └─► user-features ─┬─► recommend ─┬─► recommendations
 *                         [user-features,│      ▲  ▲    └─► user-deletions-applied
 *                          user-seen-items]     │  │  [user-seen-items, user-held-lists, popularity]
 *                                        ├──────┼──┼──► item-events ─► item-popularity ─► popularity
 *                                        │      │  │    (by item id)   [item-popularity]  (global)
 *                                        └──────┼──┼──► training-examples  (for the trainer)
 * user-deletions ─► validate-deletion ─► forget ┘  │         ▲ (tombstone: the user's end)
 *                   (bad: events-dlq)   [user-features, user-seen-items] ─┘
 * </pre>
 *
 * <p>{@code user-deletions} has the partitions and keys of {@code events}, so each deletion runs in
 * the task that holds the user, in timestamp order with the user's events.
 */
public final class RecsysTopology {
  public static final String USER_FEATURES_STORE = "user-features";
  public static final String USER_SEEN_STORE = "user-seen-items";
  public static final String ITEM_POPULARITY_STORE = "item-popularity";
  public static final String POPULARITY_STORE = "popularity-leaders";
  public static final String USER_HELD_LISTS_STORE = "user-held-lists";
  public static final String PENDING_STORE = "serving-pending";
  public static final String ITEM_COOCCURRENCE_STORE = "item-cooccurrence";
  public static final String ITEM_COOCCURRENCE_CHANGED_STORE = "item-cooccurrence-changed";
  public static final String ITEM_COOCCURRENCE_SEEN_STORE = "item-cooccurrence-seen";
  public static final String ITEM_NEIGHBOURS_STORE = "item-neighbours";

  private static final String EVENTS_SOURCE = "events-source";
  private static final String VALIDATE = "validate";
  private static final String DLQ_SINK = "dead-letter-sink";
  private static final String USER_FEATURES = "user-features";
  private static final String RECOMMEND = "recommend";
  private static final String RECOMMENDATIONS_SINK = "recommendations-sink";
  private static final String ITEM_EVENTS_SINK = "item-events-sink";
  private static final String TRAINING_EXAMPLES_SINK = "training-examples-sink";
  private static final String ITEM_EVENTS_SOURCE = "item-events-source";
  private static final String ITEM_POPULARITY = "item-popularity";
  private static final String POPULARITY_SINK = "popularity-sink";
  private static final String POPULARITY_SOURCE = "popularity-source";
  private static final String POPULARITY_UPDATER = "popularity-updater";
  private static final String DELETIONS_SOURCE = "user-deletions-source";
  private static final String VALIDATE_DELETION = "validate-deletion";
  private static final String FORGET = "forget-user";
  private static final String DELETION_REPORTS_SINK = "deletion-reports-sink";
  private static final String ITEM_PAIRS_SINK = "item-pairs-sink";
  private static final String ITEM_PAIRS_SOURCE = "item-pairs-source";
  private static final String ITEM_COOCCURRENCE = "item-cooccurrence";
  private static final String ITEM_NEIGHBOURS_SINK = "item-neighbours-sink";
  private static final String ITEM_NEIGHBOURS_SOURCE = "item-neighbours-source";
  private static final String ITEM_NEIGHBOURS_UPDATER = "item-neighbours-updater";

  private RecsysTopology() {}

  /** The topics of the pipeline, named by {@code settings}. */
  public record Topics(
      Topic<byte[], byte[]> events,
      Topic<byte[], byte[]> deadLetters,
      Topic<String, Recommendation> recommendations,
      Topic<String, UserEvent> itemEvents,
      Topic<String, PopularitySnapshot> popularity,
      Topic<String, ItemPairs> itemPairs,
      Topic<String, ItemNeighbours> itemNeighbours,
      Topic<String, TrainingExampleRecord> trainingExamples,
      Topic<byte[], byte[]> userDeletions,
      Topic<String, DeletionReport> deletionReports) {

    public static Topics of(RecsysSettings settings) {
      var names = settings.topics();
      Serde<byte[]> bytes = Serdes.ByteArray();
      Serde<String> strings = Serdes.String();
      return new Topics(
          new Topic<>(names.events(), bytes, bytes),
          new Topic<>(names.deadLetters(), bytes, bytes),
          new Topic<>(names.recommendations(), strings, SchemaSerdes.recommendation()),
          new Topic<>(names.itemEvents(), strings, SchemaSerdes.userEvent()),
          new Topic<>(names.popularity(), strings, FeatureSerdes.popularitySnapshot()),
          new Topic<>(names.itemPairs(), strings, FeatureSerdes.itemPairs()),
          new Topic<>(names.itemNeighbours(), strings, FeatureSerdes.itemNeighbours()),
          new Topic<>(names.trainingExamples(), strings, SchemaSerdes.trainingExample()),
          new Topic<>(names.userDeletions(), bytes, bytes),
          new Topic<>(names.deletionReports(), strings, SchemaSerdes.deletionReport()));
    }
  }

  /** The pipeline with popularity only (no model is ever loaded). */
  public static Topology build(RecsysSettings settings, PipelineMetrics metrics) {
    return build(settings, metrics, new CurrentModel());
  }

  /**
   * The pipeline.
   *
   * @param model the model serving uses; kept up to date by the caller
   */
  public static Topology build(
      RecsysSettings settings, PipelineMetrics metrics, CurrentModel model) {
    return build(settings, metrics, model, Strategies.of(settings));
  }

  /**
   * The pipeline.
   *
   * @param model the model serving uses; kept up to date by the caller
   * @param strategies what makes and chooses the lists; every task of this topology shares them,
   *     and so can the instance's query API
   */
  public static Topology build(
      RecsysSettings settings, PipelineMetrics metrics, CurrentModel model, Strategies strategies) {
    Topics topics = Topics.of(settings);
    UserEventParser parser = settings.ingest().newParser();
    UserPseudonyms pseudonyms = UserPseudonyms.of(settings.ingest());
    Duration publishInterval = Duration.ofMillis(settings.popularity().publishIntervalMs());
    RecsysSettings.Cooccurrence cooccurrence = settings.cooccurrence();

    Topology topology = new Topology();
    topology
        .addSource(
            EVENTS_SOURCE,
            topics.events().keySerde().deserializer(),
            topics.events().valueSerde().deserializer(),
            topics.events().name())
        .addProcessor(
            VALIDATE,
            () ->
                new EventValidationProcessor(parser, pseudonyms, USER_FEATURES, DLQ_SINK, metrics),
            EVENTS_SOURCE)
        .addSource(
            DELETIONS_SOURCE,
            topics.userDeletions().keySerde().deserializer(),
            topics.userDeletions().valueSerde().deserializer(),
            topics.userDeletions().name())
        .addProcessor(
            VALIDATE_DELETION,
            () ->
                new DeletionValidationProcessor(
                    new UserDeletionParser(settings.ingest().maxIdLength()),
                    pseudonyms,
                    FORGET,
                    DLQ_SINK,
                    metrics),
            DELETIONS_SOURCE)
        .addProcessor(
            FORGET,
            () ->
                new UserErasureProcessor(
                    USER_FEATURES_STORE, USER_SEEN_STORE, RECOMMEND, TRAINING_EXAMPLES_SINK),
            VALIDATE_DELETION)
        .addSink(
            DLQ_SINK,
            topics.deadLetters().name(),
            topics.deadLetters().keySerde().serializer(),
            topics.deadLetters().valueSerde().serializer(),
            VALIDATE,
            VALIDATE_DELETION)
        .addProcessor(
            USER_FEATURES,
            () ->
                new UserFeaturesProcessor(
                    USER_FEATURES_STORE,
                    USER_SEEN_STORE,
                    settings.recentItems(),
                    RECOMMEND,
                    ITEM_EVENTS_SINK,
                    TRAINING_EXAMPLES_SINK,
                    settings.ingest().eventWeights(),
                    metrics,
                    cooccurrence.weights(),
                    cooccurrence.enabled() ? ITEM_PAIRS_SINK : null),
            VALIDATE)
        .addProcessor(
            RECOMMEND,
            () ->
                new RecommendProcessor(
                    new RecommendProcessor.Stores(
                        USER_SEEN_STORE,
                        POPULARITY_STORE,
                        USER_HELD_LISTS_STORE,
                        PENDING_STORE,
                        ITEM_NEIGHBOURS_STORE),
                    new RecommendProcessor.Children(RECOMMENDATIONS_SINK, DELETION_REPORTS_SINK),
                    settings.serving(),
                    settings.model(),
                    settings.popularity().publishIntervalMs(),
                    strategies,
                    model,
                    metrics),
            USER_FEATURES,
            FORGET)
        .addStateStore(
            persistentStore(USER_FEATURES_STORE, Serdes.String(), FeatureSerdes.userFeatures()),
            USER_FEATURES,
            FORGET)
        .addStateStore(
            persistentStore(USER_SEEN_STORE, Serdes.String(), Serdes.Long()),
            USER_FEATURES,
            FORGET,
            RECOMMEND)
        .addStateStore(
            persistentStore(
                USER_HELD_LISTS_STORE, Serdes.String(), new JsonSerde<>(HeldLists.class)),
            RECOMMEND)
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(PENDING_STORE),
                Serdes.Long(),
                new JsonSerde<>(PendingActivity.class)),
            RECOMMEND)
        .addSink(
            RECOMMENDATIONS_SINK,
            topics.recommendations().name(),
            topics.recommendations().keySerde().serializer(),
            topics.recommendations().valueSerde().serializer(),
            RECOMMEND)
        .addSink(
            DELETION_REPORTS_SINK,
            topics.deletionReports().name(),
            topics.deletionReports().keySerde().serializer(),
            topics.deletionReports().valueSerde().serializer(),
            RECOMMEND)
        .addSink(
            ITEM_EVENTS_SINK,
            topics.itemEvents().name(),
            topics.itemEvents().keySerde().serializer(),
            topics.itemEvents().valueSerde().serializer(),
            USER_FEATURES)
        .addSink(
            TRAINING_EXAMPLES_SINK,
            topics.trainingExamples().name(),
            topics.trainingExamples().keySerde().serializer(),
            topics.trainingExamples().valueSerde().serializer(),
            USER_FEATURES,
            FORGET)
        .addSource(
            ITEM_EVENTS_SOURCE,
            topics.itemEvents().keySerde().deserializer(),
            topics.itemEvents().valueSerde().deserializer(),
            topics.itemEvents().name())
        .addProcessor(
            ITEM_POPULARITY,
            () ->
                new ItemPopularityProcessor(
                    ITEM_POPULARITY_STORE,
                    settings.ingest().eventWeights(),
                    settings.popularity().halfLifeMs(),
                    settings.popularity().leaderboardSize(),
                    publishInterval),
            ITEM_EVENTS_SOURCE)
        .addStateStore(
            persistentStore(ITEM_POPULARITY_STORE, Serdes.String(), FeatureSerdes.itemPopularity()),
            ITEM_POPULARITY)
        .addSink(
            POPULARITY_SINK,
            topics.popularity().name(),
            topics.popularity().keySerde().serializer(),
            topics.popularity().valueSerde().serializer(),
            ITEM_POPULARITY)
        .addGlobalStore(
            persistentStore(POPULARITY_STORE, Serdes.String(), FeatureSerdes.popularitySnapshot())
                .withLoggingDisabled(),
            POPULARITY_SOURCE,
            topics.popularity().keySerde().deserializer(),
            topics.popularity().valueSerde().deserializer(),
            topics.popularity().name(),
            POPULARITY_UPDATER,
            () -> new GlobalStoreUpdater<>(POPULARITY_STORE));
    if (cooccurrence.enabled()) {
      addCooccurrence(topology, topics, cooccurrence, metrics);
    }
    return topology;
  }

  /**
   * The item-keyed co-occurrence branch: pairs from the user-keyed side are counted per item, and
   * each item's strongest neighbours reach every instance through a global store.
   */
  private static void addCooccurrence(
      Topology topology,
      Topics topics,
      RecsysSettings.Cooccurrence settings,
      PipelineMetrics metrics) {
    topology
        .addSink(
            ITEM_PAIRS_SINK,
            topics.itemPairs().name(),
            topics.itemPairs().keySerde().serializer(),
            topics.itemPairs().valueSerde().serializer(),
            USER_FEATURES)
        .addSource(
            ITEM_PAIRS_SOURCE,
            topics.itemPairs().keySerde().deserializer(),
            topics.itemPairs().valueSerde().deserializer(),
            topics.itemPairs().name())
        .addProcessor(
            ITEM_COOCCURRENCE,
            () ->
                new ItemCooccurrenceProcessor(
                    ITEM_COOCCURRENCE_STORE,
                    ITEM_COOCCURRENCE_CHANGED_STORE,
                    ITEM_COOCCURRENCE_SEEN_STORE,
                    settings,
                    metrics),
            ITEM_PAIRS_SOURCE)
        .addStateStore(
            persistentStore(ITEM_COOCCURRENCE_STORE, Serdes.String(), Serdes.Double()),
            ITEM_COOCCURRENCE)
        .addStateStore(
            persistentStore(ITEM_COOCCURRENCE_CHANGED_STORE, Serdes.String(), Serdes.Long()),
            ITEM_COOCCURRENCE)
        .addStateStore(
            persistentStore(ITEM_COOCCURRENCE_SEEN_STORE, Serdes.String(), Serdes.Long()),
            ITEM_COOCCURRENCE)
        .addSink(
            ITEM_NEIGHBOURS_SINK,
            topics.itemNeighbours().name(),
            topics.itemNeighbours().keySerde().serializer(),
            topics.itemNeighbours().valueSerde().serializer(),
            ITEM_COOCCURRENCE)
        .addGlobalStore(
            persistentStore(ITEM_NEIGHBOURS_STORE, Serdes.String(), FeatureSerdes.itemNeighbours())
                .withLoggingDisabled(),
            ITEM_NEIGHBOURS_SOURCE,
            topics.itemNeighbours().keySerde().deserializer(),
            topics.itemNeighbours().valueSerde().deserializer(),
            topics.itemNeighbours().name(),
            ITEM_NEIGHBOURS_UPDATER,
            () -> new GlobalStoreUpdater<>(ITEM_NEIGHBOURS_STORE));
  }

  private static <K, V> StoreBuilder<KeyValueStore<K, V>> persistentStore(
      String name, Serde<K> keySerde, Serde<V> valueSerde) {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keySerde, valueSerde);
  }
}
