package io.recsys.app.config;

import io.recsys.model.Hyperparameter;
import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.strategy.CooccurrenceWeights;
import io.recsys.schemas.Strategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every {@code recsys.*} setting: its name, type, default, validator and documentation, defined
 * once and grouped by the component that reads it. {@link #parse(Map)} turns a raw map into the
 * immutable {@link RecsysSettings}, one record per group, that components receive through their
 * constructors. The model's hyperparameters ({@code recsys.model.<name>}) are made from {@link
 * Hyperparameter}, the table that also makes the {@code evaluate}/{@code retrain} flags. Keys
 * without the {@code recsys.} prefix are Kafka Streams and client settings and pass through.
 */
public final class RecsysConfig extends AbstractConfig {
  public static final String PREFIX = "recsys.";

  /** Settings of a new streaming model: {@code recsys.model.} + a hyperparameter's dotted key. */
  public static final String MODEL_PREFIX = "recsys.model.";

  private static final String TOPICS = "Topics";
  private static final String INGEST = "Ingest";
  private static final String FEATURES = "Features";
  private static final String POPULARITY = "Popularity";
  private static final String COOCCURRENCE = "Co-occurrence";
  private static final String SERVING = "Serving";
  private static final String TRAINER = "Trainer";
  private static final String MODEL_SYNC = "Model sync";
  private static final String MODEL = "Model (a new streaming model's hyperparameters)";
  private static final String INSTANCE = "Instance";
  private static final String HTTP = "HTTP";

  // Topics
  public static final String EVENTS_TOPIC_CONFIG = "recsys.topic.events";
  public static final String DLQ_TOPIC_CONFIG = "recsys.topic.dlq";
  public static final String RECOMMENDATIONS_TOPIC_CONFIG = "recsys.topic.recommendations";
  public static final String ITEM_EVENTS_TOPIC_CONFIG = "recsys.topic.item.events";
  public static final String POPULARITY_TOPIC_CONFIG = "recsys.topic.popularity";
  public static final String ITEM_PAIRS_TOPIC_CONFIG = "recsys.topic.item.pairs";
  public static final String ITEM_NEIGHBOURS_TOPIC_CONFIG = "recsys.topic.item.neighbours";
  public static final String TRAINING_EXAMPLES_TOPIC_CONFIG = "recsys.topic.training.examples";
  public static final String MODEL_UPDATES_TOPIC_CONFIG = "recsys.topic.model.updates";
  public static final String METRICS_TOPIC_CONFIG = "recsys.topic.metrics";
  public static final String USER_DELETIONS_TOPIC_CONFIG = "recsys.topic.user.deletions";
  public static final String DELETION_REPORTS_TOPIC_CONFIG = "recsys.topic.user.deletions.applied";
  public static final String TRAINER_LEASE_TOPIC_CONFIG = "recsys.topic.trainer.lease";
  public static final String TOPIC_PARTITIONS_CONFIG = "recsys.topic.partitions";
  public static final String TOPIC_REPLICATION_CONFIG = "recsys.topic.replication.factor";
  public static final String TOPIC_RETENTION_CONFIG = "recsys.topic.retention.ms";
  // Ingest
  public static final String EVENT_WEIGHTS_CONFIG = "recsys.event.weights";
  public static final String EVENT_MAX_BYTES_CONFIG = "recsys.event.max.bytes";
  public static final String EVENT_MAX_ID_LENGTH_CONFIG = "recsys.event.max.id.length";
  public static final String EVENT_MIN_TIME_CONFIG = "recsys.event.min.time";
  public static final String EVENT_MAX_FUTURE_CONFIG = "recsys.event.max.future.ms";
  public static final String USER_ID_KEY_CONFIG = "recsys.privacy.user.id.key";
  // Features
  public static final String RECENT_ITEMS_CONFIG = "recsys.features.recent.items";
  // Popularity
  public static final String HALF_LIFE_CONFIG = "recsys.popularity.half.life.ms";
  public static final String LEADERBOARD_SIZE_CONFIG = "recsys.popularity.leaderboard.size";
  public static final String PUBLISH_INTERVAL_CONFIG = "recsys.popularity.publish.interval.ms";
  // Co-occurrence
  public static final String COOCCURRENCE_ENABLED_CONFIG = "recsys.cooccurrence.enabled";
  public static final String COOCCURRENCE_WINDOW_CONFIG = "recsys.cooccurrence.window";
  public static final String COOCCURRENCE_DISTANCE_DECAY_CONFIG =
      "recsys.cooccurrence.distance.decay";
  public static final String COOCCURRENCE_BACKWARD_WEIGHT_CONFIG =
      "recsys.cooccurrence.backward.weight";
  public static final String COOCCURRENCE_RECENT_ITEMS_CONFIG = "recsys.cooccurrence.recent.items";
  public static final String COOCCURRENCE_AGE_DECAY_CONFIG = "recsys.cooccurrence.age.decay";
  public static final String COOCCURRENCE_HALF_LIFE_CONFIG = "recsys.cooccurrence.half.life.ms";
  public static final String COOCCURRENCE_CAPACITY_CONFIG = "recsys.cooccurrence.capacity";
  public static final String COOCCURRENCE_NEIGHBOURS_CONFIG = "recsys.cooccurrence.neighbours";
  public static final String COOCCURRENCE_ITEM_EXPIRY_CONFIG = "recsys.cooccurrence.item.expiry.ms";
  public static final String COOCCURRENCE_PUBLISH_INTERVAL_CONFIG =
      "recsys.cooccurrence.publish.interval.ms";
  // Serving
  public static final String SERVING_STRATEGY_CONFIG = "recsys.serving.strategy";
  public static final String SERVING_EXPLORATION_CONFIG = "recsys.serving.exploration";
  public static final String SERVING_EVIDENCE_HALF_LIFE_CONFIG =
      "recsys.serving.evidence.half.life.events";
  public static final String SERVING_EVIDENCE_MIN_EVENTS_CONFIG =
      "recsys.serving.evidence.min.events";
  public static final String SERVING_EVIDENCE_SWITCH_MARGIN_CONFIG =
      "recsys.serving.evidence.switch.margin";
  public static final String MODEL_ENABLED_CONFIG = "recsys.model.enabled";
  public static final String TOP_K_CONFIG = "recsys.recommendations.k";
  public static final String SERVING_MIN_HISTORY_CONFIG = "recsys.serving.min.history";
  public static final String SERVING_BATCH_SIZE_CONFIG = "recsys.serving.batch.size";
  public static final String SERVING_BATCH_WAIT_CONFIG = "recsys.serving.batch.wait.ms";
  public static final String SERVING_SEEN_ITEMS_CONFIG = "recsys.serving.seen.items";
  public static final String SERVING_STATE_STEPS_CONFIG = "recsys.serving.state.steps";
  public static final String SERVING_STATE_USERS_CONFIG = "recsys.serving.state.users";
  public static final String INDEX_MIN_ITEMS_CONFIG = "recsys.serving.index.min.items";
  public static final String INDEX_CANDIDATES_CONFIG = "recsys.serving.index.candidates";
  public static final String INDEX_LEADERS_CONFIG = "recsys.serving.index.leaders";
  public static final String INDEX_MAX_CONNECTIONS_CONFIG = "recsys.serving.index.max.connections";
  public static final String INDEX_BEAM_WIDTH_CONFIG = "recsys.serving.index.beam.width";
  public static final String INDEX_REBUILD_FRACTION_CONFIG =
      "recsys.serving.index.rebuild.fraction";
  public static final String INDEX_DRIFT_TOLERANCE_CONFIG = "recsys.serving.index.drift.tolerance";
  public static final String INDEX_CHECK_SHARE_CONFIG = "recsys.serving.index.check.share";
  // Trainer
  public static final String TRAINER_ENABLED_CONFIG = "recsys.trainer.enabled";
  public static final String TRAINER_DIR_CONFIG = "recsys.trainer.dir";
  public static final String TRAINER_BATCH_SIZE_CONFIG = "recsys.trainer.batch.size";
  public static final String TRAINER_BATCH_WAIT_CONFIG = "recsys.trainer.batch.wait.ms";
  public static final String TRAINER_CHECKPOINT_INTERVAL_CONFIG =
      "recsys.trainer.checkpoint.interval.ms";
  public static final String TRAINER_STATE_STEPS_CONFIG = "recsys.trainer.state.steps";
  public static final String TRAINER_STATE_USERS_CONFIG = "recsys.trainer.state.users";
  public static final String TRAINER_MAX_LAG_CONFIG = "recsys.trainer.max.lag.ms";
  public static final String TRAINER_ITEM_EXPIRY_CONFIG = "recsys.trainer.item.expiry.ms";
  public static final String TRAINER_MAX_ITEMS_CONFIG = "recsys.trainer.max.items";
  public static final String TRAINER_LEASE_TIMEOUT_CONFIG = "recsys.trainer.lease.timeout.ms";
  // Model sync
  public static final String MODEL_PUBLISH_INTERVAL_CONFIG = "recsys.model.publish.interval.ms";
  public static final String MODEL_SNAPSHOT_INTERVAL_CONFIG = "recsys.model.snapshot.interval.ms";
  public static final String MODEL_SNAPSHOT_MAX_RATE_CONFIG =
      "recsys.model.snapshot.max.bytes.per.s";
  public static final String MODEL_DELTA_TOLERANCE_CONFIG = "recsys.model.delta.tolerance";
  public static final String MODEL_DELTA_ENCODING_CONFIG = "recsys.model.delta.encoding";
  // Model: one setting per hyperparameter, named after it
  public static final String MODEL_SEQUENCE_LENGTH_CONFIG =
      modelKey(Hyperparameter.SEQUENCE_LENGTH);
  public static final String MODEL_LEARNING_RATE_CONFIG = modelKey(Hyperparameter.LEARNING_RATE);
  public static final String MODEL_LOSS_CONFIG = modelKey(Hyperparameter.LOSS);
  // Instance
  public static final String REGISTRY_DIR_CONFIG = "recsys.registry.dir";
  public static final String ROCKSDB_MEMORY_CONFIG = "recsys.rocksdb.memory.bytes";
  public static final String METRICS_INTERVAL_CONFIG = "recsys.metrics.interval.ms";
  public static final String STARTUP_TIMEOUT_CONFIG = "recsys.startup.timeout.ms";
  public static final String INSTANCE_ID_CONFIG = "recsys.instance.id";
  // HTTP
  public static final String HTTP_PORT_CONFIG = "recsys.http.port";
  public static final String HTTP_BIND_ADDRESS_CONFIG = "recsys.http.bind.address";
  public static final String HTTP_AUTH_TOKEN_CONFIG = "recsys.http.auth.token";
  public static final String HTTP_TLS_KEYSTORE_CONFIG = "recsys.http.tls.keystore.path";
  public static final String HTTP_TLS_KEYSTORE_PASSWORD_CONFIG =
      "recsys.http.tls.keystore.password";
  public static final String HTTP_MAX_REQUEST_BYTES_CONFIG = "recsys.http.max.request.bytes";
  public static final String HTTP_MAX_CONCURRENT_CONFIG = "recsys.http.max.concurrent.requests";

  /**
   * Where the streaming model departs from the offline defaults ({@link ModelConfig#defaults()}): a
   * stream shows each example once, as it arrives, so it takes larger steps, no dropout and a
   * shorter window (measured in docs/BENCHMARKS.md).
   */
  private static final ModelConfig STREAMING_MODEL =
      ModelConfig.builder()
          .sequenceLength(20)
          .learningRate(0.01)
          .outputLearningRateScale(8.0)
          .dropout(0.0)
          .build();

  public static final ConfigDef CONFIG_DEF = definition();

  private static ConfigDef definition() {
    ConfigDef def = new ConfigDef();
    Definer topics = new Definer(def, TOPICS);
    topics.define(
        EVENTS_TOPIC_CONFIG,
        Type.STRING,
        "events",
        nonEmpty(),
        Importance.HIGH,
        "Input topic of user events (key = user id).");
    topics.define(
        DLQ_TOPIC_CONFIG,
        Type.STRING,
        "events-dlq",
        nonEmpty(),
        Importance.HIGH,
        "Dead-letter topic: rejected input records, original bytes, with headers giving the"
            + " reason and the source topic, partition and offset.");
    topics.define(
        RECOMMENDATIONS_TOPIC_CONFIG,
        Type.STRING,
        "recommendations",
        nonEmpty(),
        Importance.HIGH,
        "Output topic of recommendation lists (key = user id).");
    topics.define(
        ITEM_EVENTS_TOPIC_CONFIG,
        Type.STRING,
        "recsys-item-events",
        nonEmpty(),
        Importance.LOW,
        "Internal topic: valid events re-keyed by item id, feeding popularity.");
    topics.define(
        POPULARITY_TOPIC_CONFIG,
        Type.STRING,
        "recsys-popularity",
        nonEmpty(),
        Importance.LOW,
        "Internal compacted topic: each item partition's most popular items, read by every"
            + " instance into a global store.");
    topics.define(
        ITEM_PAIRS_TOPIC_CONFIG,
        Type.STRING,
        "recsys-item-pairs",
        nonEmpty(),
        Importance.LOW,
        "Internal topic: co-occurrence pairs keyed by the item whose neighbours they update.");
    topics.define(
        ITEM_NEIGHBOURS_TOPIC_CONFIG,
        Type.STRING,
        "recsys-item-neighbours",
        nonEmpty(),
        Importance.LOW,
        "Internal compacted topic: each item's strongest co-occurrence neighbours (key = item id),"
            + " read by every instance into a global store.");
    topics.define(
        TRAINING_EXAMPLES_TOPIC_CONFIG,
        Type.STRING,
        "training-examples",
        nonEmpty(),
        Importance.MEDIUM,
        "Topic of next-item training examples (key = user id): what the trainer reads and what"
            + " retraining replays.");
    topics.define(
        MODEL_UPDATES_TOPIC_CONFIG,
        Type.STRING,
        "model-updates",
        nonEmpty(),
        Importance.MEDIUM,
        "Topic of model versions (chunked snapshots, deltas, promotions) published by the trainer"
            + " and followed by every serving instance.");
    topics.define(
        METRICS_TOPIC_CONFIG,
        Type.STRING,
        "metrics",
        nonEmpty(),
        Importance.HIGH,
        "Output topic of periodic quality and throughput figures (key = instance id).");
    topics.define(
        USER_DELETIONS_TOPIC_CONFIG,
        Type.STRING,
        "user-deletions",
        nonEmpty(),
        Importance.MEDIUM,
        "Input topic of requests to forget a user (key = user id, as on the events topic; see"
            + " bin/recsys forget). Created with the events topic's partitions, so that a"
            + " deletion is processed after the user's events produced before it. Also the log"
            + " that retraining reads to skip deleted users.");
    topics.define(
        DELETION_REPORTS_TOPIC_CONFIG,
        Type.STRING,
        "user-deletions-applied",
        nonEmpty(),
        Importance.LOW,
        "Output topic of confirmations (key = request id, no user id): one per component that"
            + " applied a deletion, with what it removed per store.");
    topics.define(
        TRAINER_LEASE_TOPIC_CONFIG,
        Type.STRING,
        "trainer-lease",
        nonEmpty(),
        Importance.LOW,
        "One partition, no records: the trainer whose consumer owns it (in the group"
            + " <application.id>-trainer-lease) is the one that trains; the others stand by.");
    topics.define(
        TOPIC_PARTITIONS_CONFIG,
        Type.INT,
        4,
        Range.atLeast(1),
        Importance.MEDIUM,
        "Partitions of the topics the application creates when missing; existing topics are used"
            + " as they are. Each partition batches its own events for the model, so partitions"
            + " beyond the stream threads make smaller, costlier model calls.");
    topics.define(
        TOPIC_REPLICATION_CONFIG,
        Type.SHORT,
        (short) -1,
        Range.atLeast(-1),
        Importance.MEDIUM,
        "Replication factor of the topics the application creates; -1 uses the broker default.");
    topics.define(
        TOPIC_RETENTION_CONFIG,
        Type.LONG,
        7L * 24 * 3600 * 1000,
        Range.atLeast(-1),
        Importance.MEDIUM,
        "How long a record that names a user may stay on a topic the application creates:"
            + " retention of events, the dead-letter topic, item events, training examples,"
            + " recommendations and deletions, and the most a deleted user's records may wait"
            + " for compaction on the stores' changelogs (max.compaction.lag.ms). It bounds how"
            + " long a forgotten user's past records remain anywhere, and how far back replay and"
            + " retraining can reach; -1 keeps them forever (no erasure bound). Applies to topics"
            + " created from then on.");

    Definer ingest = new Definer(def, INGEST);
    ingest.define(
        EVENT_WEIGHTS_CONFIG,
        Type.LIST,
        "view:1,click:2,cart:4,purchase:8,rating:4",
        weightsValidator(),
        Importance.HIGH,
        "Accepted event types and their weights (type:weight, comma separated); other types go to"
            + " the DLQ. A weight scales the event's contribution to popularity and training.");
    ingest.define(
        EVENT_MAX_BYTES_CONFIG,
        Type.INT,
        64 * 1024,
        Range.atLeast(64),
        Importance.LOW,
        "Larger input records go to the DLQ without being parsed.");
    ingest.define(
        EVENT_MAX_ID_LENGTH_CONFIG,
        Type.INT,
        256,
        Range.between(1, 4096),
        Importance.LOW,
        "Longest accepted user or item id, in characters.");
    ingest.define(
        EVENT_MIN_TIME_CONFIG,
        Type.STRING,
        "1990-01-01T00:00:00Z",
        instantValidator(),
        Importance.LOW,
        "Earliest accepted eventTime (ISO-8601 instant or epoch ms); earlier events go to"
            + " the DLQ, an epoch-seconds value with a reason saying so. Lower it only for"
            + " history older than this.");
    ingest.define(
        EVENT_MAX_FUTURE_CONFIG,
        Type.LONG,
        86_400_000L,
        Range.atLeast(0),
        Importance.LOW,
        "How far ahead of this instance's clock an eventTime may be; later events go to the DLQ"
            + " (a microseconds value with a reason saying so). Larger tolerates skewed producer"
            + " clocks.");
    ingest.define(
        USER_ID_KEY_CONFIG,
        Type.PASSWORD,
        null,
        Importance.MEDIUM,
        "Secret key for pseudonymous user ids: when set, ingest replaces every user id (of"
            + " events and of deletion requests) by a keyed hash (HMAC-SHA256, 128 bits, 'p-' and"
            + " 22 base64url characters), so that stores, internal and output topics, metrics and"
            + " logs never hold the raw id; the query API and bin/recsys forget take the raw id"
            + " and hash it. Input topics (events, user-deletions, the dead-letter topic) still"
            + " hold raw ids, bounded by recsys.topic.retention.ms. Trade-offs: consumers of"
            + " recommendations see pseudonyms and must hash their own ids to join; changing or"
            + " losing the key starts every user afresh. Set it from the environment"
            + " (RECSYS_CONFIG_RECSYS_PRIVACY_USER_ID_KEY) rather than a file. Unset: raw ids.");

    Definer features = new Definer(def, FEATURES);
    features.define(
        RECENT_ITEMS_CONFIG,
        Type.INT,
        50,
        Range.between(1, 10_000),
        Importance.MEDIUM,
        "How many of a user's latest items the user-features store keeps; the model reads the"
            + " newest recsys.model.sequence.length of them.");

    Definer popularity = new Definer(def, POPULARITY);
    popularity.define(
        HALF_LIFE_CONFIG,
        Type.LONG,
        7L * 24 * 3600 * 1000,
        Range.atLeast(1),
        Importance.MEDIUM,
        "Half-life of an event's contribution to item popularity, in event time. Shorter follows"
            + " trends faster and forgets steady sellers sooner.");
    popularity.define(
        LEADERBOARD_SIZE_CONFIG,
        Type.INT,
        500,
        Range.between(1, 100_000),
        Importance.LOW,
        "Most popular items kept per item partition; the fallback recommends only among these,"
            + " so it must exceed k plus the popular items a heavy user has already seen.");
    popularity.define(
        PUBLISH_INTERVAL_CONFIG,
        Type.LONG,
        1000L,
        Range.atLeast(10),
        Importance.LOW,
        "How often (wall clock) each item partition publishes its changed leaderboard, and serving"
            + " refreshes its merged view. Shorter is fresher and writes more.");

    Definer cooccurrence = new Definer(def, COOCCURRENCE);
    CooccurrenceWeights weights = CooccurrenceWeights.DEFAULT;
    cooccurrence.define(
        COOCCURRENCE_ENABLED_CONFIG,
        Type.BOOLEAN,
        true,
        Importance.MEDIUM,
        "Keep item-to-item co-occurrence in the pipeline and offer it as a strategy. Off saves"
            + " the item-pairs traffic (about six small records per event) and its state.");
    cooccurrence.define(
        COOCCURRENCE_WINDOW_CONFIG,
        Type.INT,
        weights.window(),
        Range.between(1, 50),
        Importance.LOW,
        "How many of a user's previous items pair with each new one. Wider finds more pairs on"
            + " sparse data and sends more records per event.");
    cooccurrence.define(
        COOCCURRENCE_DISTANCE_DECAY_CONFIG,
        Type.DOUBLE,
        weights.distanceDecay(),
        Range.between(0.01, 1.0),
        Importance.LOW,
        "Weight factor per step between the two items of a pair: 1 counts every pair in the"
            + " window alike, lower trusts direct successions most.");
    cooccurrence.define(
        COOCCURRENCE_BACKWARD_WEIGHT_CONFIG,
        Type.DOUBLE,
        weights.backwardWeight(),
        Range.between(0.0, 1.0),
        Importance.LOW,
        "Weight of \"A came before B\" relative to \"B followed A\": 0 keeps the order strictly,"
            + " 1 treats pairs as unordered. Which is better depends on the data (ML-100K gained"
            + " from 0.5, ML-1M and amazon-games lost); `evaluate` chooses it on validation and"
            + " reports it as cooccurrenceBackwardWeight.");
    cooccurrence.define(
        COOCCURRENCE_RECENT_ITEMS_CONFIG,
        Type.INT,
        weights.recentItems(),
        Range.between(1, 100),
        Importance.LOW,
        "How many of a user's newest items recommend their neighbours (one store read each).");
    cooccurrence.define(
        COOCCURRENCE_AGE_DECAY_CONFIG,
        Type.DOUBLE,
        weights.ageDecay(),
        Range.between(0.01, 1.0),
        Importance.LOW,
        "Weight factor per step back in the user's history: lower follows the newest item.");
    cooccurrence.define(
        COOCCURRENCE_HALF_LIFE_CONFIG,
        Type.LONG,
        30L * 24 * 3600 * 1000,
        Range.atLeast(1),
        Importance.LOW,
        "Half-life of a pair's weight, in event time. Shorter follows changing tastes and"
            + " forgets stable pairs sooner.");
    cooccurrence.define(
        COOCCURRENCE_CAPACITY_CONFIG,
        Type.INT,
        200,
        Range.between(10, 100_000),
        Importance.LOW,
        "Most neighbours counted per item (store item-cooccurrence); the weakest beyond it are"
            + " dropped each time the item is published. Larger keeps rarer pairs and costs more"
            + " state and more work per publication.");
    cooccurrence.define(
        COOCCURRENCE_NEIGHBOURS_CONFIG,
        Type.INT,
        30,
        Range.between(1, 10_000),
        Importance.LOW,
        "Strongest neighbours published per item to every instance's global store; serving"
            + " recommends among them.");
    cooccurrence.define(
        COOCCURRENCE_ITEM_EXPIRY_CONFIG,
        Type.LONG,
        90L * 24 * 3600 * 1000,
        Range.atLeast(0),
        Importance.LOW,
        "An item whose pairs have not been updated for at least this long, in event time, loses"
            + " them all (store item-cooccurrence) and its published neighbours; checked every"
            + " minute. Bounds the state where the catalogue keeps changing, which otherwise grows"
            + " with every item ever seen. The default is three default half-lives (its pairs weigh an eighth"
            + " then); shorter forgets what an item that comes back had learnt. 0 keeps every"
            + " item.");
    cooccurrence.define(
        COOCCURRENCE_PUBLISH_INTERVAL_CONFIG,
        Type.LONG,
        5000L,
        Range.atLeast(10),
        Importance.LOW,
        "How often (wall clock) the items whose pairs changed publish their neighbours. Shorter"
            + " is fresher and writes more: each publication is one record per changed item.");

    Definer serving = new Definer(def, SERVING);
    serving.define(
        SERVING_STRATEGY_CONFIG,
        Type.STRING,
        "auto",
        ConfigDef.ValidString.in("auto", "model", "cooccurrence", "popularity", "blend"),
        Importance.HIGH,
        "What each list is made by. auto: per group of users with similar history lengths, the"
            + " strategy (model, co-occurrence, popularity or their blend) with the best live"
            + " prequential NDCG@10. A named strategy is served wherever it has a list, popularity"
            + " elsewhere; every strategy is still measured.");
    serving.define(
        SERVING_EXPLORATION_CONFIG,
        Type.DOUBLE,
        0.05,
        Range.between(0.0, 0.5),
        Importance.LOW,
        "Share of lists (auto only) served by a strategy other than the winner, drawn at"
            + " random, so that users' reactions to every strategy keep being seen. Higher"
            + " measures more fairly and serves worse lists more often.");
    serving.define(
        SERVING_EVIDENCE_HALF_LIFE_CONFIG,
        Type.INT,
        5000,
        Range.atLeast(1),
        Importance.LOW,
        "Events of a history group after which an event's part in a strategy's live figure has"
            + " halved. Shorter follows a learning model sooner and is noisier.");
    serving.define(
        SERVING_EVIDENCE_MIN_EVENTS_CONFIG,
        Type.INT,
        100,
        Range.atLeast(1),
        Importance.LOW,
        "Events a strategy needs in a history group before its figure there decides; until"
            + " then its figure over all users does.");
    serving.define(
        SERVING_EVIDENCE_SWITCH_MARGIN_CONFIG,
        Type.DOUBLE,
        1.0,
        Range.between(0.0, 10.0),
        Importance.LOW,
        "Standard errors by which a single strategy's live figure must lead the blend's in a"
            + " history group before that group is served the single strategy instead of the"
            + " blend. 0 serves whichever leads, switching on noise in small groups; higher keeps"
            + " the blend unless another strategy is clearly better.");
    serving.define(
        MODEL_ENABLED_CONFIG,
        Type.BOOLEAN,
        true,
        Importance.HIGH,
        "Serve recommendations from the learned model when one is available; false serves"
            + " popularity only.");
    serving.define(
        TOP_K_CONFIG,
        Type.INT,
        10,
        Range.between(1, 1000),
        Importance.HIGH,
        "Length of each recommendation list.");
    serving.define(
        SERVING_MIN_HISTORY_CONFIG,
        Type.INT,
        1,
        Range.between(1, 1000),
        Importance.LOW,
        "Users with fewer items the model knows get the popularity fallback.");
    serving.define(
        SERVING_BATCH_SIZE_CONFIG,
        Type.INT,
        256,
        Range.between(1, 10_000),
        Importance.MEDIUM,
        "Most events scored by the model in one call.");
    serving.define(
        SERVING_BATCH_WAIT_CONFIG,
        Type.LONG,
        20L,
        Range.atLeast(1),
        Importance.MEDIUM,
        "Longest an event waits for its batch before it is scored: bounds the latency batching"
            + " adds. Longer waits make larger model calls, which cost far less per user.");
    serving.define(
        SERVING_SEEN_ITEMS_CONFIG,
        Type.INT,
        200_000,
        Range.between(1, 100_000_000),
        Importance.LOW,
        "(user, item) pairs each stream task caches to remove seen items from lists (about 100"
            + " bytes each); a miss costs one prefix scan of the user-seen-items store.");
    serving.define(
        SERVING_STATE_STEPS_CONFIG,
        Type.INT,
        20,
        Range.between(0, 100_000),
        Importance.LOW,
        "Steps a user's carried LSTM state may take, one per new item, before it is re-read from"
            + " the user's items; 0 re-reads on every event. Carrying is cheaper; re-reading"
            + " follows the newest weights exactly.");
    serving.define(
        SERVING_STATE_USERS_CONFIG,
        Type.INT,
        20_000,
        Range.between(1, 10_000_000),
        Importance.LOW,
        "Users whose LSTM state and last list each stream task keeps (about 2.5 KB each at"
            + " hidden size 128), least recently active evicted; an evicted user's next event"
            + " re-reads their last items (more CPU). The heap grows until every task's cache is"
            + " full: size it to the users active within minutes, not to all users.");

    IndexSettings index = IndexSettings.defaults();
    serving.define(
        INDEX_MIN_ITEMS_CONFIG,
        Type.INT,
        index.minItems(),
        Range.between(1, Integer.MAX_VALUE),
        Importance.MEDIUM,
        "Items in the model from which serving retrieves candidates from an approximate"
            + " inner-product index (HNSW) and scores only those exactly, instead of scoring every"
            + " item. Below it every item is scored: exact, and cheap enough. Set it above your"
            + " catalogue's size to always score every item.");
    serving.define(
        INDEX_CANDIDATES_CONFIG,
        Type.INT,
        index.candidates(),
        Range.between(1, 100_000),
        Importance.LOW,
        "Candidates the index proposes per user (plus the user's seen items, removed after) for"
            + " exact rescoring; also the search's beam. More raises recall at proportional cost.");
    serving.define(
        INDEX_LEADERS_CONFIG,
        Type.INT,
        index.leaders(),
        Range.between(0, 100_000),
        Importance.LOW,
        "Items with the highest output bias when the index was built (the model's prior, mostly"
            + " popular items) that are scored exactly for every user besides the index's"
            + " candidates. A graph linked by inner product misses some of a densely trained"
            + " model's best items; these catch most of them, for that many inner products per"
            + " user in one matrix product. 0 relies on the graph alone.");
    serving.define(
        INDEX_MAX_CONNECTIONS_CONFIG,
        Type.INT,
        index.maxConnections(),
        Range.between(2, 512),
        Importance.LOW,
        "Links per item in the index graph (HNSW's M). More raises recall, memory and build time.");
    serving.define(
        INDEX_BEAM_WIDTH_CONFIG,
        Type.INT,
        index.beamWidth(),
        Range.between(1, 10_000),
        Importance.LOW,
        "Candidates considered while linking an item into the graph. More builds a better graph,"
            + " more slowly (the build runs in the background).");
    serving.define(
        INDEX_REBUILD_FRACTION_CONFIG,
        Type.DOUBLE,
        index.rebuildFraction(),
        Range.between(1e-6, 1.0),
        Importance.LOW,
        "Share of the indexed items that may have drifted (or be new) before the graph is"
            + " refreshed in the background (those items linked anew into a copy of it, or the"
            + " graph built anew once moved items' old nodes would pass 35% of it); until then each"
            + " such item is scored exactly for every user. Lower refreshes more often (CPU);"
            + " higher scores more items per event.");
    serving.define(
        INDEX_DRIFT_TOLERANCE_CONFIG,
        Type.DOUBLE,
        index.driftTolerance(),
        Range.between(0.0, 9.99),
        Importance.LOW,
        "How far an item's output vector may move since the graph was built, as a fraction of the"
            + " largest indexed norm, before it is scored exactly for every user instead of through"
            + " the graph. Candidates are always rescored with the current weights; this bounds"
            + " which items the graph may fail to propose. Lower keeps more of the model's quality"
            + " for more rows scored exactly per event, a cost that grows with the catalogue; the"
            + " index check (recsys.serving.index.check.share) measures the quality it costs on"
            + " your data (docs/BENCHMARKS.md, \"The index's cost in quality\").");
    serving.define(
        INDEX_CHECK_SHARE_CONFIG,
        Type.DOUBLE,
        0.001,
        Range.between(0.0, 1.0),
        Importance.LOW,
        "Share of the events served through the index whose model list is checked: made again"
            + " with every item scored from the same state, to measure the index's recall@10"
            + " (recsys.serving.index.recall) and, on the user's next event, both lists' hit rates"
            + " on the same events (recsys.serving.index.check.hr10). Each check is one pass over"
            + " every item row (milliseconds at 10^5 items, tens of milliseconds at 10^6) on the"
            + " stream thread. 0 turns the checks off.");

    Definer trainer = new Definer(def, TRAINER);
    trainer.define(
        TRAINER_ENABLED_CONFIG,
        Type.BOOLEAN,
        true,
        Importance.HIGH,
        "Run a trainer in this process. One trainer of a deployment trains at a time (it holds the"
            + " trainer lease); any other stands by and takes over from the last checkpoint when"
            + " the active one dies, so it needs the same recsys.trainer.dir (shared storage).");
    trainer.define(
        TRAINER_DIR_CONFIG,
        Type.STRING,
        "",
        Importance.MEDIUM,
        "Directory of the trainer's checkpoint; empty means <state.dir>/<application.id>-trainer."
            + " A standby trainer resumes from the checkpoint here: give every trainer of a"
            + " deployment the same directory on shared storage.");
    trainer.define(
        TRAINER_BATCH_SIZE_CONFIG,
        Type.INT,
        256,
        Range.between(1, 65_536),
        Importance.MEDIUM,
        "Most training examples in one micro-batch. Larger batches train faster per example and"
            + " update the model less often.");
    trainer.define(
        TRAINER_BATCH_WAIT_CONFIG,
        Type.LONG,
        300L,
        Range.atLeast(1),
        Importance.LOW,
        "Longest wait for a micro-batch to fill before training on what has arrived. Shorter"
            + " waits train on smaller, noisier batches.");
    trainer.define(
        TRAINER_CHECKPOINT_INTERVAL_CONFIG,
        Type.LONG,
        30_000L,
        Range.atLeast(100),
        Importance.LOW,
        "How often the trainer checkpoints the model with the offsets it has trained through; a"
            + " restarted trainer retrains at most this much.");
    trainer.define(
        TRAINER_STATE_STEPS_CONFIG,
        Type.INT,
        20,
        Range.between(0, 1_000_000),
        Importance.LOW,
        "Steps a user's carried training state (before the newest items of their last example)"
            + " may take before it is re-read; 0 re-reads every example.");
    trainer.define(
        TRAINER_STATE_USERS_CONFIG,
        Type.INT,
        100_000,
        Range.between(1, 100_000_000),
        Importance.LOW,
        "Users whose training state the trainer keeps (about 1 KB each), least recently trained"
            + " dropped first; the trainer's heap grows until it is full.");

    trainer.define(
        TRAINER_ITEM_EXPIRY_CONFIG,
        Type.LONG,
        0L,
        Range.atLeast(0),
        Importance.MEDIUM,
        "An item unseen in the training examples for this long, in event time, loses its model"
            + " row, which the next new item reuses (its learnt weights are gone if it comes"
            + " back). Bounds the model's memory, snapshots and index where the catalogue keeps"
            + " changing; 0 keeps every item for ever, so the model grows with every item ever"
            + " seen. Checked every 10 s.");
    trainer.define(
        TRAINER_MAX_ITEMS_CONFIG,
        Type.INT,
        0,
        Range.atLeast(0),
        Importance.MEDIUM,
        "Most items the model keeps rows for: beyond it, the items seen least recently release"
            + " their rows (as with recsys.trainer.item.expiry.ms), checked every 10 s. A hard"
            + " bound on the memory of the trainer, of every serving copy and of the index"
            + " (docs/BENCHMARKS.md gives bytes per item); too small a bound forgets items users"
            + " still reach. 0 = no bound.");
    trainer.define(
        TRAINER_MAX_LAG_CONFIG,
        Type.LONG,
        60_000L,
        Range.atLeast(0),
        Importance.MEDIUM,
        "Freshness bound: while the trainer is behind its own backlog, an example that could"
            + " not reach a published model within this long of its record timestamp (its age"
            + " when reached plus the longest recent delay from taking an example to publishing"
            + " it) is skipped and counted in recsys_trainer_skipped_total, so the trainer trains"
            + " on recent examples instead of an ever older backlog. Examples at the head of the"
            + " feed are trained however late they arrive (the pipeline before the trainer is"
            + " then what is behind). Smaller keeps the model fresher under overload and trains"
            + " on fewer examples; 0 trains on every example however late.");

    trainer.define(
        TRAINER_LEASE_TIMEOUT_CONFIG,
        Type.INT,
        6_000,
        Range.between(6_000, 300_000),
        Importance.LOW,
        "How long a standby trainer waits for a silent active one before it takes over (the"
            + " session timeout of the trainer lease group). Shorter fails over sooner; a trainer"
            + " whose process stalls longer than this loses the lease and stops publishing."
            + " Brokers refuse less than their group.min.session.timeout.ms (6 s by default).");

    Definer sync = new Definer(def, MODEL_SYNC);
    sync.define(
        MODEL_PUBLISH_INTERVAL_CONFIG,
        Type.LONG,
        500L,
        Range.atLeast(10),
        Importance.MEDIUM,
        "How often the trainer publishes a new version when it has trained since the last: the"
            + " largest part of freshness. Shorter is fresher and sends more deltas.");
    sync.define(
        MODEL_SNAPSHOT_INTERVAL_CONFIG,
        Type.LONG,
        30_000L,
        Range.atLeast(0),
        Importance.LOW,
        "Longest time between two full snapshots; between them the trainer publishes deltas of"
            + " the rows that changed. Longer means fewer large records and longer chains for a"
            + " late instance to apply; 0 publishes every version whole.");
    sync.define(
        MODEL_SNAPSHOT_MAX_RATE_CONFIG,
        Type.LONG,
        1L << 20,
        Range.atLeast(0),
        Importance.LOW,
        "Snapshots may average at most this many bytes per second on the model-updates topic: a"
            + " large model's snapshots come further apart than recsys.model.snapshot.interval.ms"
            + " (a 50 MB snapshot at most every 50 s at the default 1 MiB/s), with deltas between"
            + " them. Lower spares the broker and serving instances; a late instance applies more"
            + " deltas. 0 for no limit.");
    sync.define(
        MODEL_DELTA_TOLERANCE_CONFIG,
        Type.DOUBLE,
        1e-5,
        Range.between(0.0, 1.0),
        Importance.LOW,
        "A row goes into a delta once one of its values has moved by more than this since it was"
            + " published: serving stays within it of the trainer, and equal after a snapshot."
            + " 0 sends every changed row.");
    sync.define(
        MODEL_DELTA_ENCODING_CONFIG,
        Type.STRING,
        "int8",
        ValidString.in("int8", "float32"),
        Importance.LOW,
        "int8: a changed value as one byte of a per-row scale, a quarter of the size, within half"
            + " a step of the trainer's; float32: the exact value.");

    Definer model = new Definer(def, MODEL);
    for (Hyperparameter h : Hyperparameter.values()) {
      model.define(modelKey(h), type(h), defaultOf(h), validator(h), Importance.LOW, h.doc());
    }

    Definer instance = new Definer(def, INSTANCE);
    instance.define(
        REGISTRY_DIR_CONFIG,
        Type.STRING,
        "recsys-data/models",
        nonEmpty(),
        Importance.MEDIUM,
        "Directory of the model registry: numbered versions written by 'retrain' and rolled out"
            + " by 'models promote'.");
    instance.define(
        ROCKSDB_MEMORY_CONFIG,
        Type.LONG,
        128L << 20,
        Range.atLeast(1L << 20),
        Importance.MEDIUM,
        "Off-heap memory shared by all RocksDB stores of the instance (block cache and"
            + " memtables). More keeps more state in memory.");
    instance.define(
        METRICS_INTERVAL_CONFIG,
        Type.LONG,
        5000L,
        Range.atLeast(100),
        Importance.MEDIUM,
        "How often the instance publishes a record to the metrics topic.");
    instance.define(
        STARTUP_TIMEOUT_CONFIG,
        Type.LONG,
        30_000L,
        Range.atLeast(100),
        Importance.MEDIUM,
        "How long start-up waits for the Kafka cluster to answer before it fails with one line"
            + " naming the address. Longer tolerates a broker that is still starting.");

    instance.define(
        INSTANCE_ID_CONFIG,
        Type.STRING,
        "",
        Importance.MEDIUM,
        "This instance's static member id in the pipeline's consumer group (group.instance.id):"
            + " restarted under the same id within the session timeout it takes its partitions"
            + " and local state back without a rebalance. Empty: the host name and a hash of"
            + " state.dir, stable across restarts; must be unique per instance. 'dynamic' turns"
            + " static membership off (every restart rebalances).");

    Definer http = new Definer(def, HTTP);
    http.define(
        HTTP_PORT_CONFIG,
        Type.INT,
        8080,
        Range.between(-1, 65535),
        Importance.MEDIUM,
        "Port of the HTTP query API, metrics endpoint and dashboard; 0 picks a free port, -1"
            + " disables HTTP.");
    http.define(
        HTTP_BIND_ADDRESS_CONFIG,
        Type.STRING,
        "0.0.0.0",
        nonEmpty(),
        Importance.MEDIUM,
        "Address the HTTP server listens on: 0.0.0.0 every interface (other instances forward"
            + " queries to each other, Prometheus scrapes), 127.0.0.1 this machine only (the"
            + " demo's default).");
    http.define(
        HTTP_AUTH_TOKEN_CONFIG,
        Type.PASSWORD,
        null,
        Importance.HIGH,
        "When set, every endpoint but /health and /ready requires this bearer token"
            + " (header 'Authorization: Bearer <token>', or access_token=<token> in the query for"
            + " the dashboard in a browser); others get 401. Instances forward queries with it, so"
            + " give every instance the same. Set it from the environment"
            + " (RECSYS_CONFIG_RECSYS_HTTP_AUTH_TOKEN) rather than a file. Unset: open to anyone who"
            + " reaches the port.");
    http.define(
        HTTP_TLS_KEYSTORE_CONFIG,
        Type.STRING,
        "",
        Importance.MEDIUM,
        "A PKCS12 keystore with the server's key and certificate: when set, the server speaks"
            + " HTTPS only, and forwarded queries go over HTTPS trusting the same certificate"
            + " (give every instance one certificate, or one that all trust). Empty: plain HTTP.");
    http.define(
        HTTP_TLS_KEYSTORE_PASSWORD_CONFIG,
        Type.PASSWORD,
        null,
        Importance.MEDIUM,
        "Password of recsys.http.tls.keystore.path.");
    http.define(
        HTTP_MAX_REQUEST_BYTES_CONFIG,
        Type.INT,
        64 * 1024,
        Range.between(1024, 64 << 20),
        Importance.LOW,
        "Largest request body accepted; larger requests get 413. The API takes no bodies, so"
            + " this only bounds what a misbehaving client can make the server read.");
    http.define(
        HTTP_MAX_CONCURRENT_CONFIG,
        Type.INT,
        32,
        Range.between(1, 4096),
        Importance.LOW,
        "Most API requests served at once (dashboards' live feeds and the probes are not"
            + " counted); more wait up to 5 s for a turn, then get 503. Higher serves more"
            + " clients at once at the cost of the stream threads' CPU; lower sheds load"
            + " sooner.");
    return def;
  }

  /** Defines keys of one group in order, so that the table lists them as they are here. */
  private static final class Definer {
    private final ConfigDef def;
    private final String group;
    private int order;

    Definer(ConfigDef def, String group) {
      this.def = def;
      this.group = group;
    }

    void define(String name, Type type, Object defaultValue, Importance importance, String doc) {
      define(name, type, defaultValue, null, importance, doc);
    }

    void define(
        String name,
        Type type,
        Object defaultValue,
        ConfigDef.Validator validator,
        Importance importance,
        String doc) {
      def.define(
          name,
          type,
          defaultValue,
          validator,
          importance,
          doc,
          group,
          ++order,
          ConfigDef.Width.NONE,
          name);
    }
  }

  /** The setting of a hyperparameter of the streaming model: {@code recsys.model.<dotted key>}. */
  public static String modelKey(Hyperparameter h) {
    return MODEL_PREFIX + h.dottedKey();
  }

  private static Type type(Hyperparameter h) {
    return switch (h.kind()) {
      case INT -> Type.INT;
      case LONG -> Type.LONG;
      case DOUBLE -> Type.DOUBLE;
      case LOSS -> Type.STRING;
    };
  }

  private static Object defaultOf(Hyperparameter h) {
    Object value = h.get(STREAMING_MODEL);
    return value instanceof LossType loss ? loss.id() : value;
  }

  private static ConfigDef.Validator validator(Hyperparameter h) {
    return switch (h.kind()) {
      case INT -> Range.between((int) h.min(), (int) h.max());
      case LONG -> null;
      case DOUBLE -> Range.between(h.min(), h.max());
      case LOSS ->
          ValidString.in(
              java.util.Arrays.stream(LossType.values()).map(LossType::id).toArray(String[]::new));
    };
  }

  private RecsysConfig(Map<?, ?> originals) {
    super(CONFIG_DEF, originals, false);
  }

  /**
   * Validates the {@code recsys.*} keys of {@code raw} and returns them as settings.
   *
   * @throws ConfigException naming the key and the value received
   */
  public static RecsysSettings parse(Map<?, ?> raw) {
    Map<String, Object> ours = new LinkedHashMap<>();
    raw.forEach(
        (key, value) -> {
          String name = String.valueOf(key);
          if (name.startsWith(PREFIX) && !name.startsWith(PREFIX + "internal.")) {
            if (!CONFIG_DEF.names().contains(name)) {
              throw new ConfigException(
                  "unknown recsys setting '"
                      + name
                      + "'"
                      + Suggestions.didYouMean(name, CONFIG_DEF.names()));
            }
            ours.put(name, value);
          }
        });
    RecsysConfig c = new RecsysConfig(ours);
    return new RecsysSettings(
        new RecsysSettings.Topics(
            c.getString(EVENTS_TOPIC_CONFIG),
            c.getString(DLQ_TOPIC_CONFIG),
            c.getString(RECOMMENDATIONS_TOPIC_CONFIG),
            c.getString(ITEM_EVENTS_TOPIC_CONFIG),
            c.getString(POPULARITY_TOPIC_CONFIG),
            c.getString(ITEM_PAIRS_TOPIC_CONFIG),
            c.getString(ITEM_NEIGHBOURS_TOPIC_CONFIG),
            c.getString(TRAINING_EXAMPLES_TOPIC_CONFIG),
            c.getString(MODEL_UPDATES_TOPIC_CONFIG),
            c.getString(METRICS_TOPIC_CONFIG),
            c.getString(USER_DELETIONS_TOPIC_CONFIG),
            c.getString(DELETION_REPORTS_TOPIC_CONFIG),
            c.getString(TRAINER_LEASE_TOPIC_CONFIG),
            c.getInt(TOPIC_PARTITIONS_CONFIG),
            c.getShort(TOPIC_REPLICATION_CONFIG),
            c.getLong(TOPIC_RETENTION_CONFIG)),
        new RecsysSettings.Ingest(
            parseWeights(c.getList(EVENT_WEIGHTS_CONFIG)),
            c.getInt(EVENT_MAX_BYTES_CONFIG),
            c.getInt(EVENT_MAX_ID_LENGTH_CONFIG),
            parseInstant(EVENT_MIN_TIME_CONFIG, c.getString(EVENT_MIN_TIME_CONFIG)),
            c.getLong(EVENT_MAX_FUTURE_CONFIG),
            secret(c, USER_ID_KEY_CONFIG)),
        c.getInt(RECENT_ITEMS_CONFIG),
        new RecsysSettings.Popularity(
            c.getLong(HALF_LIFE_CONFIG),
            c.getInt(LEADERBOARD_SIZE_CONFIG),
            c.getLong(PUBLISH_INTERVAL_CONFIG)),
        new RecsysSettings.Cooccurrence(
            c.getBoolean(COOCCURRENCE_ENABLED_CONFIG),
            new CooccurrenceWeights(
                c.getInt(COOCCURRENCE_WINDOW_CONFIG),
                c.getDouble(COOCCURRENCE_DISTANCE_DECAY_CONFIG),
                c.getDouble(COOCCURRENCE_BACKWARD_WEIGHT_CONFIG),
                c.getInt(COOCCURRENCE_RECENT_ITEMS_CONFIG),
                c.getDouble(COOCCURRENCE_AGE_DECAY_CONFIG)),
            c.getLong(COOCCURRENCE_HALF_LIFE_CONFIG),
            c.getInt(COOCCURRENCE_CAPACITY_CONFIG),
            c.getInt(COOCCURRENCE_NEIGHBOURS_CONFIG),
            c.getLong(COOCCURRENCE_ITEM_EXPIRY_CONFIG),
            c.getLong(COOCCURRENCE_PUBLISH_INTERVAL_CONFIG)),
        new RecsysSettings.Serving(
            c.getBoolean(MODEL_ENABLED_CONFIG),
            c.getInt(TOP_K_CONFIG),
            c.getInt(SERVING_MIN_HISTORY_CONFIG),
            c.getInt(SERVING_BATCH_SIZE_CONFIG),
            c.getLong(SERVING_BATCH_WAIT_CONFIG),
            c.getInt(SERVING_SEEN_ITEMS_CONFIG),
            c.getInt(SERVING_STATE_STEPS_CONFIG),
            c.getInt(SERVING_STATE_USERS_CONFIG),
            new IndexSettings(
                c.getInt(INDEX_MIN_ITEMS_CONFIG),
                c.getInt(INDEX_CANDIDATES_CONFIG),
                c.getInt(INDEX_MAX_CONNECTIONS_CONFIG),
                c.getInt(INDEX_BEAM_WIDTH_CONFIG),
                c.getDouble(INDEX_REBUILD_FRACTION_CONFIG),
                c.getDouble(INDEX_DRIFT_TOLERANCE_CONFIG),
                IndexSettings.defaults().seed(),
                c.getInt(INDEX_LEADERS_CONFIG)),
            c.getDouble(INDEX_CHECK_SHARE_CONFIG),
            new RecsysSettings.Selection(
                "auto".equals(c.getString(SERVING_STRATEGY_CONFIG))
                    ? null
                    : Strategy.valueOf(
                        c.getString(SERVING_STRATEGY_CONFIG).toUpperCase(java.util.Locale.ROOT)),
                c.getDouble(SERVING_EXPLORATION_CONFIG),
                c.getInt(SERVING_EVIDENCE_HALF_LIFE_CONFIG),
                c.getInt(SERVING_EVIDENCE_MIN_EVENTS_CONFIG),
                c.getDouble(SERVING_EVIDENCE_SWITCH_MARGIN_CONFIG))),
        new RecsysSettings.Trainer(
            c.getBoolean(TRAINER_ENABLED_CONFIG),
            c.getString(TRAINER_DIR_CONFIG),
            c.getInt(TRAINER_BATCH_SIZE_CONFIG),
            c.getLong(TRAINER_BATCH_WAIT_CONFIG),
            c.getLong(TRAINER_CHECKPOINT_INTERVAL_CONFIG),
            c.getInt(TRAINER_STATE_STEPS_CONFIG),
            c.getInt(TRAINER_STATE_USERS_CONFIG),
            c.getLong(TRAINER_MAX_LAG_CONFIG),
            c.getInt(TRAINER_LEASE_TIMEOUT_CONFIG),
            c.getLong(TRAINER_ITEM_EXPIRY_CONFIG),
            c.getInt(TRAINER_MAX_ITEMS_CONFIG)),
        new RecsysSettings.ModelSync(
            c.getLong(MODEL_PUBLISH_INTERVAL_CONFIG),
            c.getLong(MODEL_SNAPSHOT_INTERVAL_CONFIG),
            c.getLong(MODEL_SNAPSHOT_MAX_RATE_CONFIG),
            c.getDouble(MODEL_DELTA_TOLERANCE_CONFIG),
            c.getString(MODEL_DELTA_ENCODING_CONFIG).equals("int8")),
        c.modelConfig(),
        new RecsysSettings.Instance(
            c.getString(REGISTRY_DIR_CONFIG),
            c.getLong(ROCKSDB_MEMORY_CONFIG),
            c.getLong(METRICS_INTERVAL_CONFIG),
            c.getLong(STARTUP_TIMEOUT_CONFIG),
            c.getString(INSTANCE_ID_CONFIG).strip()),
        new RecsysSettings.Http(
            c.getInt(HTTP_PORT_CONFIG),
            c.getString(HTTP_BIND_ADDRESS_CONFIG),
            secret(c, HTTP_AUTH_TOKEN_CONFIG),
            c.getString(HTTP_TLS_KEYSTORE_CONFIG),
            secret(c, HTTP_TLS_KEYSTORE_PASSWORD_CONFIG),
            c.getInt(HTTP_MAX_REQUEST_BYTES_CONFIG),
            c.getInt(HTTP_MAX_CONCURRENT_CONFIG)));
  }

  /** A password setting's value, or null when unset or empty. */
  private static String secret(RecsysConfig c, String key) {
    var password = c.getPassword(key);
    return password == null || password.value().isEmpty() ? null : password.value();
  }

  private ModelConfig modelConfig() {
    ModelConfig.Builder builder = STREAMING_MODEL.toBuilder();
    for (Hyperparameter h : Hyperparameter.values()) {
      Object value = get(modelKey(h));
      try {
        h.set(builder, value instanceof String text ? h.parse(text) : value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(modelKey(h), value, e.getMessage());
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(MODEL_PREFIX + "*", "", e.getMessage());
    }
  }

  /**
   * Checks a whole configuration before anything starts: the {@code recsys.*} settings, and that
   * every other key is a Kafka client or Kafka Streams setting.
   *
   * @throws ConfigException naming the key, the value received and, for a mistyped name, the
   *     closest known one
   */
  public static RecsysSettings validate(Map<?, ?> config) {
    KafkaKeys.check(config);
    return parse(config);
  }

  /** The settings with every default. */
  public static RecsysSettings defaults() {
    return parse(Map.of());
  }

  /** Every setting as Markdown, one table per group (docs/CONFIG.md). */
  public static String markdownTable() {
    Map<String, StringBuilder> groups = new LinkedHashMap<>();
    for (ConfigDef.ConfigKey key : CONFIG_DEF.configKeys().values()) {
      StringBuilder out =
          groups.computeIfAbsent(
              key.group,
              g ->
                  new StringBuilder("### " + g + "\n\n")
                      .append("| Key | Type | Default | Valid values | Description |\n")
                      .append("|---|---|---|---|---|\n"));
      out.append("| `")
          .append(key.name)
          .append("` | ")
          .append(key.type.name().toLowerCase(Locale.ROOT))
          .append(" | `")
          .append(ConfigDef.convertToString(key.defaultValue, key.type))
          .append("` | ")
          .append(key.validator == null ? "" : key.validator.toString())
          .append(" | ")
          .append(key.documentation)
          .append(" |\n");
    }
    return String.join("\n", groups.values());
  }

  static Map<String, Double> parseWeights(List<String> entries) {
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String entry : entries) {
      String[] parts = entry.split(":", -1);
      double weight;
      try {
        weight = parts.length == 2 ? Double.parseDouble(parts[1].trim()) : Double.NaN;
      } catch (NumberFormatException e) {
        weight = Double.NaN;
      }
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty() || !(weight > 0) || Double.isInfinite(weight)) {
        throw new ConfigException(
            EVENT_WEIGHTS_CONFIG, entries, "expected type:positiveWeight, got '" + entry + "'");
      }
      weights.put(type, weight);
    }
    if (weights.isEmpty()) {
      throw new ConfigException(EVENT_WEIGHTS_CONFIG, entries, "at least one event type");
    }
    return weights;
  }

  /** An ISO-8601 instant or epoch ms ({@link Instants}), as a setting's value. */
  static long parseInstant(String key, String text) {
    try {
      return Instants.parseEpochMillis(key, text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, text, "expected an ISO-8601 instant or epoch ms");
    }
  }

  private static ConfigDef.Validator instantValidator() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        parseInstant(name, String.valueOf(value));
      }

      @Override
      public String toString() {
        return "ISO-8601 instant or epoch ms";
      }
    };
  }

  private static ConfigDef.Validator nonEmpty() {
    return new ConfigDef.NonEmptyString();
  }

  private static ConfigDef.Validator weightsValidator() {
    return new ConfigDef.Validator() {
      @Override
      @SuppressWarnings("unchecked")
      public void ensureValid(String name, Object value) {
        parseWeights((List<String>) value);
      }

      @Override
      public String toString() {
        return "type:weight,... with weights > 0";
      }
    };
  }
}
