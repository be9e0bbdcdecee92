package io.recsys.app.config;

import io.recsys.model.LossType;
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
 * once. {@link #parse(Map)} turns a raw map into the immutable {@link RecsysSettings} that the
 * rest of the application receives through constructors. Keys without the {@code recsys.} prefix
 * are Kafka Streams and client settings and pass through untouched.
 */
public final class RecsysConfig extends AbstractConfig {
  public static final String PREFIX = "recsys.";

  public static final String EVENTS_TOPIC_CONFIG = "recsys.topic.events";
  private static final String EVENTS_TOPIC_DOC = "Input topic of user events (key = user id).";

  public static final String DLQ_TOPIC_CONFIG = "recsys.topic.dlq";
  private static final String DLQ_TOPIC_DOC =
      "Dead-letter topic: rejected input records, original bytes, with headers giving the reason"
          + " and the source topic, partition and offset.";

  public static final String RECOMMENDATIONS_TOPIC_CONFIG = "recsys.topic.recommendations";
  private static final String RECOMMENDATIONS_TOPIC_DOC =
      "Output topic of recommendation lists (key = user id).";

  public static final String ITEM_EVENTS_TOPIC_CONFIG = "recsys.topic.item.events";
  private static final String ITEM_EVENTS_TOPIC_DOC =
      "Internal topic: valid events re-keyed by item id, feeding item popularity.";

  public static final String POPULARITY_TOPIC_CONFIG = "recsys.topic.popularity";
  private static final String POPULARITY_TOPIC_DOC =
      "Internal compacted topic: each item partition's most popular items, read by every"
          + " instance into a global store.";

  public static final String TRAINING_EXAMPLES_TOPIC_CONFIG = "recsys.topic.training.examples";
  private static final String TRAINING_EXAMPLES_TOPIC_DOC =
      "Internal topic of next-item training examples (key = user id): what the trainer reads"
          + " and what retraining replays.";

  public static final String METRICS_TOPIC_CONFIG = "recsys.topic.metrics";
  private static final String METRICS_TOPIC_DOC =
      "Output topic of periodic quality and throughput figures (key = instance id).";

  public static final String METRICS_INTERVAL_CONFIG = "recsys.metrics.interval.ms";
  private static final String METRICS_INTERVAL_DOC =
      "How often each instance publishes a record to the metrics topic.";

  public static final String HTTP_PORT_CONFIG = "recsys.http.port";
  private static final String HTTP_PORT_DOC =
      "Port of the HTTP query API, metrics endpoint and dashboard; 0 picks a free port, -1"
          + " disables HTTP.";

  public static final String MODEL_UPDATES_TOPIC_CONFIG = "recsys.topic.model.updates";
  private static final String MODEL_UPDATES_TOPIC_DOC =
      "Topic of model versions published by the trainer and followed by every serving instance"
          + " (chunked snapshots, and deltas between them).";

  public static final String MODEL_ENABLED_CONFIG = "recsys.model.enabled";
  private static final String MODEL_ENABLED_DOC =
      "Serve recommendations from the learned model when one is available; false serves"
          + " popularity only.";

  public static final String TRAINER_ENABLED_CONFIG = "recsys.trainer.enabled";
  private static final String TRAINER_ENABLED_DOC =
      "Run the trainer in this process. Exactly one process of a deployment should.";

  public static final String TRAINER_DIR_CONFIG = "recsys.trainer.dir";
  private static final String TRAINER_DIR_DOC =
      "Directory of the trainer's checkpoint; empty means <state.dir>/<application.id>-trainer.";

  public static final String REGISTRY_DIR_CONFIG = "recsys.registry.dir";
  private static final String REGISTRY_DIR_DOC =
      "Directory of the model registry: numbered model versions (checkpoint, provenance,"
          + " evaluation) written by 'retrain' and rolled out by 'models promote'.";

  public static final String TRAINER_BATCH_SIZE_CONFIG = "recsys.trainer.batch.size";
  private static final String TRAINER_BATCH_SIZE_DOC =
      "Most training examples in one micro-batch. A smaller batch (one cut short by"
          + " recsys.trainer.batch.wait.ms) takes a proportionally smaller optimiser step.";

  public static final String TRAINER_BATCH_WAIT_CONFIG = "recsys.trainer.batch.wait.ms";
  private static final String TRAINER_BATCH_WAIT_DOC =
      "Longest wait for a micro-batch to fill before training on what has arrived. Shorter waits"
          + " train on smaller, noisier batches: 100 ms cost ML-1M about 0.01 of prequential"
          + " HR@10 against 300 ms, for no gain in freshness when the trainer keeps up.";

  public static final String TRAINER_CHECKPOINT_INTERVAL_CONFIG =
      "recsys.trainer.checkpoint.interval.ms";
  private static final String TRAINER_CHECKPOINT_INTERVAL_DOC =
      "How often the trainer checkpoints the model with the input offsets it has trained"
          + " through; a restarted trainer resumes from there.";

  public static final String MODEL_PUBLISH_INTERVAL_CONFIG = "recsys.model.publish.interval.ms";
  private static final String MODEL_PUBLISH_INTERVAL_DOC =
      "How often the trainer publishes a new model version when it has trained since the last:"
          + " the largest part of freshness (event to a served model trained on it). Deltas keep"
          + " short intervals cheap.";

  public static final String MODEL_SNAPSHOT_INTERVAL_CONFIG = "recsys.model.snapshot.interval.ms";
  private static final String MODEL_SNAPSHOT_INTERVAL_DOC =
      "Longest time between two full snapshots of the model on the model-updates topic. Between"
          + " snapshots the trainer publishes deltas: only the item and parameter rows that changed"
          + " since the version before. A new or restarted serving instance loads the newest"
          + " snapshot and applies the deltas after it. 0 publishes every version whole.";

  public static final String MODEL_DELTA_TOLERANCE_CONFIG = "recsys.model.delta.tolerance";
  private static final String MODEL_DELTA_TOLERANCE_DOC =
      "A parameter row goes into a delta once one of its values has moved by more than this since"
          + " it was last published; serving's weights stay within this of the trainer's (and,"
          + " with int8 deltas, half a step), and equal them after each snapshot. 0 sends every"
          + " row that changed.";

  public static final String MODEL_DELTA_ENCODING_CONFIG = "recsys.model.delta.encoding";
  private static final String MODEL_DELTA_ENCODING_DOC =
      "How a delta carries a changed value. int8: one byte, a step of a per-row scale (the row's"
          + " largest change / 127) from the published value, a quarter of the size; a served"
          + " value is within half a step of the trainer's and the rest follows in the next"
          + " delta. float32: the exact value, so serving holds the trainer's weights exactly"
          + " (with a tolerance of 0).";

  public static final String MODEL_SEQUENCE_LENGTH_CONFIG = "recsys.model.sequence.length";
  private static final String MODEL_SEQUENCE_LENGTH_DOC =
      "Most recent items of a user the model reads, in training and in serving. Cost grows"
          + " linearly with it; the newest items carry most of the signal.";

  public static final String MODEL_LEARNING_RATE_CONFIG = "recsys.model.learning.rate";
  private static final String MODEL_LEARNING_RATE_DOC =
      "Adam step size of the online trainer for a new model (a resumed checkpoint keeps its"
          + " own); the output layer's is recsys.model.output.learning.rate.scale times this."
          + " Prequential HR@10 over all of ML-1M users 1-2999 (demo --pace trainer), every layer"
          + " at one step: 0.196 at 0.0075, 0.206 at 0.01, 0.205 at 0.015, 0.196 at 0.02, 0.174 at"
          + " 0.03, 0.099 at 0.06; with the output layer faster, 0.243 at 0.01 (output x8) and"
          + " 0.237-0.239 at 0.015 (output x5). Smaller steps make a new model's first minutes"
          + " slower (first 50,000 synthetic events, one step: 0.081 at 0.01, 0.119 at 0.03).";

  public static final String MODEL_OUTPUT_LEARNING_RATE_SCALE_CONFIG =
      "recsys.model.output.learning.rate.scale";
  private static final String MODEL_OUTPUT_LEARNING_RATE_SCALE_DOC =
      "Step size of a new model's output layer (each item's output weights and bias) as a"
          + " multiple of recsys.model.learning.rate (a resumed checkpoint keeps its own). The"
          + " output rows tolerate larger steps than the LSTM and the embeddings, whose"
          + " best rate is set by where they diverge. Prequential HR@10 over all of ML-1M users"
          + " 1-2999 (demo --pace trainer), learning rate 0.015: 0.214 at 1, 0.230 at 2,"
          + " 0.234-0.237 from 3 to 8, 0.231 at 12; learning rate 0.01: 0.243 at 8. On the synthetic"
          + " stream (300,000 events) 0.247 at 0.01 x 8, 0.243 at 0.015 x 5, 0.219 at 0.015 x 1.";

  public static final String MODEL_EMBEDDING_SIZE_CONFIG = "recsys.model.embedding.size";
  private static final String MODEL_EMBEDDING_SIZE_DOC =
      "Item embedding width of a new model (a resumed checkpoint keeps its own).";

  public static final String MODEL_HIDDEN_SIZE_CONFIG = "recsys.model.hidden.size";
  private static final String MODEL_HIDDEN_SIZE_DOC =
      "LSTM state width of a new model (a resumed checkpoint keeps its own). Training and"
          + " serving cost grow with it: every event steps the LSTM and scores every item"
          + " against the state.";

  public static final String MODEL_DROPOUT_CONFIG = "recsys.model.dropout";
  private static final String MODEL_DROPOUT_DOC =
      "Dropout rate on the item embeddings and the LSTM output while training a new model (a"
          + " resumed checkpoint keeps its own); serving never drops. Online training sees each"
          + " example once and overfits little: prequential HR@10 over all of ML-1M users 1-2999"
          + " (demo --pace trainer) was 0.216 at 0, 0.215 at 0.1 and 0.205 at 0.25 (offline"
          + " training's default); on the synthetic stream (300,000 events) 0.223 at 0 and 0.208"
          + " at 0.25.";

  public static final String MODEL_BACKPROP_STEPS_CONFIG = "recsys.model.backprop.steps";
  private static final String MODEL_BACKPROP_STEPS_DOC =
      "How many of an example's newest steps the online trainer backpropagates through (a"
          + " resumed checkpoint keeps its own); the steps before only build the LSTM state."
          + " On all of ML-1M users 1-2999 under trainer pacing, 1 step gave 8% more events/s"
          + " and 10% less prequential HR@10 than 5.";

  public static final String MODEL_LOSS_CONFIG = "recsys.model.loss";
  private static final String MODEL_LOSS_DOC =
      "Training loss of a new model (a resumed checkpoint keeps its own): 'full' is the exact"
          + " softmax over every item; 'sampled' scores the batch's targets and"
          + " recsys.model.negatives items drawn by popularity (logQ-corrected), so a training"
          + " step costs the same however large the catalogue. Serving scores every item either"
          + " way.";

  public static final String MODEL_NEGATIVES_CONFIG = "recsys.model.negatives";
  private static final String MODEL_NEGATIVES_DOC =
      "Items sampled per training batch when recsys.model.loss is 'sampled'.";

  public static final String TRAINER_STATE_STEPS_CONFIG = "recsys.trainer.state.steps";
  private static final String TRAINER_STATE_STEPS_DOC =
      "The trainer keeps each user's LSTM state before the newest items of their last example"
          + " (the ones that get gradients) and steps it once for the next example, instead of"
          + " re-reading the user's recsys.model.sequence.length items; after this many steps the"
          + " state is re-read. 0 re-reads every example.";

  public static final String TRAINER_STATE_USERS_CONFIG = "recsys.trainer.state.users";
  private static final String TRAINER_STATE_USERS_DOC =
      "Users whose training state the trainer keeps (about 1 KB each; least recently trained"
          + " dropped first).";

  public static final String SERVING_STATE_STEPS_CONFIG = "recsys.serving.state.steps";
  private static final String SERVING_STATE_STEPS_DOC =
      "Serving keeps each user's LSTM state between events and steps it once per new item,"
          + " instead of re-reading the user's newest recsys.model.sequence.length items; after"
          + " this many steps (or when a model snapshot arrives) the state is re-read from the"
          + " items. 0 re-reads on every event.";

  public static final String SERVING_STATE_USERS_CONFIG = "recsys.serving.state.users";
  private static final String SERVING_STATE_USERS_DOC =
      "Users whose LSTM state each stream task keeps in memory, with the list last computed from"
          + " it (about 2 KB each at hidden size 128), least recently active evicted; an"
          + " evicted user's next event re-reads.";

  public static final String SERVING_MIN_HISTORY_CONFIG = "recsys.serving.min.history";
  private static final String SERVING_MIN_HISTORY_DOC =
      "Users with fewer items the model knows get the popularity fallback.";

  public static final String SERVING_BATCH_SIZE_CONFIG = "recsys.serving.batch.size";
  private static final String SERVING_BATCH_SIZE_DOC =
      "Most events scored by the model in one batch.";

  public static final String SERVING_SEEN_ITEMS_CONFIG = "recsys.serving.seen.items";
  private static final String SERVING_SEEN_ITEMS_DOC =
      "Seen items (user, item pairs) each stream task keeps in memory to remove them from lists"
          + " (about 100 bytes each), read from the user-seen-items store one user at a time,"
          + " least recently active users evicted first. A miss costs one prefix scan of the"
          + " store.";

  public static final String SERVING_BATCH_WAIT_CONFIG = "recsys.serving.batch.wait.ms";
  private static final String SERVING_BATCH_WAIT_DOC =
      "Longest an event waits for its batch before it is scored; bounds the latency that"
          + " batching adds. Each task batches its own events, so at a given rate a longer wait"
          + " means larger model calls, which cost far less per user (docs/BENCHMARKS.md).";

  public static final String TOPIC_PARTITIONS_CONFIG = "recsys.topic.partitions";
  private static final String TOPIC_PARTITIONS_DOC =
      "Partitions of the topics the application creates when they are missing (events, DLQ,"
          + " recommendations, item events). Existing topics are used as they are. Each partition"
          + " is a task that batches its own events for the model, so partitions beyond the"
          + " deployment's stream threads make smaller, costlier model calls (demo uses one per"
          + " stream thread).";

  public static final String TOPIC_REPLICATION_CONFIG = "recsys.topic.replication.factor";
  private static final String TOPIC_REPLICATION_DOC =
      "Replication factor of the topics the application creates; -1 uses the broker default.";

  public static final String EVENT_WEIGHTS_CONFIG = "recsys.event.weights";
  private static final String EVENT_WEIGHTS_DOC =
      "Accepted event types and their weights (type:weight, comma separated). Events of other"
          + " types go to the DLQ. Weights scale an event's contribution to popularity and"
          + " training.";

  public static final String EVENT_MAX_BYTES_CONFIG = "recsys.event.max.bytes";
  private static final String EVENT_MAX_BYTES_DOC =
      "Input records with larger values are rejected to the DLQ without being parsed.";

  public static final String EVENT_MAX_ID_LENGTH_CONFIG = "recsys.event.max.id.length";
  private static final String EVENT_MAX_ID_LENGTH_DOC =
      "Longest accepted user or item id, in characters.";

  public static final String RECENT_ITEMS_CONFIG = "recsys.features.recent.items";
  private static final String RECENT_ITEMS_DOC = "How many of a user's latest items are kept.";

  public static final String HALF_LIFE_CONFIG = "recsys.popularity.half.life.ms";
  private static final String HALF_LIFE_DOC =
      "Half-life of an event's contribution to item popularity, in event time.";

  public static final String LEADERBOARD_SIZE_CONFIG = "recsys.popularity.leaderboard.size";
  private static final String LEADERBOARD_SIZE_DOC =
      "Most popular items kept per item partition; the popularity fallback can only recommend"
          + " among these, so it must exceed k plus the number of popular items a heavy user has"
          + " already seen.";

  public static final String PUBLISH_INTERVAL_CONFIG = "recsys.popularity.publish.interval.ms";
  private static final String PUBLISH_INTERVAL_DOC =
      "How often (wall clock) each item partition publishes its leaderboard when it changed, and"
          + " how often serving refreshes its merged view.";

  public static final String TOP_K_CONFIG = "recsys.recommendations.k";
  private static final String TOP_K_DOC = "Length of each recommendation list.";

  public static final String ROCKSDB_MEMORY_CONFIG = "recsys.rocksdb.memory.bytes";
  private static final String ROCKSDB_MEMORY_DOC =
      "Off-heap memory bound shared by all RocksDB stores of the instance (block cache and"
          + " memtables).";

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(EVENTS_TOPIC_CONFIG, Type.STRING, "events", nonEmpty(), Importance.HIGH,
              EVENTS_TOPIC_DOC)
          .define(DLQ_TOPIC_CONFIG, Type.STRING, "events-dlq", nonEmpty(), Importance.HIGH,
              DLQ_TOPIC_DOC)
          .define(RECOMMENDATIONS_TOPIC_CONFIG, Type.STRING, "recommendations", nonEmpty(),
              Importance.HIGH, RECOMMENDATIONS_TOPIC_DOC)
          .define(ITEM_EVENTS_TOPIC_CONFIG, Type.STRING, "recsys-item-events", nonEmpty(),
              Importance.LOW, ITEM_EVENTS_TOPIC_DOC)
          .define(POPULARITY_TOPIC_CONFIG, Type.STRING, "recsys-popularity", nonEmpty(),
              Importance.LOW, POPULARITY_TOPIC_DOC)
          .define(TRAINING_EXAMPLES_TOPIC_CONFIG, Type.STRING, "training-examples", nonEmpty(),
              Importance.MEDIUM, TRAINING_EXAMPLES_TOPIC_DOC)
          .define(METRICS_TOPIC_CONFIG, Type.STRING, "metrics", nonEmpty(), Importance.HIGH,
              METRICS_TOPIC_DOC)
          .define(METRICS_INTERVAL_CONFIG, Type.LONG, 5000L, Range.atLeast(100), Importance.MEDIUM,
              METRICS_INTERVAL_DOC)
          .define(HTTP_PORT_CONFIG, Type.INT, 8080, Range.between(-1, 65535), Importance.MEDIUM,
              HTTP_PORT_DOC)
          .define(MODEL_UPDATES_TOPIC_CONFIG, Type.STRING, "model-updates", nonEmpty(),
              Importance.MEDIUM, MODEL_UPDATES_TOPIC_DOC)
          .define(MODEL_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH, MODEL_ENABLED_DOC)
          .define(TRAINER_ENABLED_CONFIG, Type.BOOLEAN, true, Importance.HIGH,
              TRAINER_ENABLED_DOC)
          .define(TRAINER_DIR_CONFIG, Type.STRING, "", Importance.MEDIUM, TRAINER_DIR_DOC)
          .define(REGISTRY_DIR_CONFIG, Type.STRING, "recsys-data/models", nonEmpty(),
              Importance.MEDIUM, REGISTRY_DIR_DOC)
          .define(TRAINER_BATCH_SIZE_CONFIG, Type.INT, 256, Range.between(1, 65_536),
              Importance.MEDIUM, TRAINER_BATCH_SIZE_DOC)
          .define(TRAINER_BATCH_WAIT_CONFIG, Type.LONG, 300L, Range.atLeast(1), Importance.LOW,
              TRAINER_BATCH_WAIT_DOC)
          .define(TRAINER_CHECKPOINT_INTERVAL_CONFIG, Type.LONG, 30_000L, Range.atLeast(100),
              Importance.LOW, TRAINER_CHECKPOINT_INTERVAL_DOC)
          .define(MODEL_PUBLISH_INTERVAL_CONFIG, Type.LONG, 500L, Range.atLeast(10),
              Importance.MEDIUM, MODEL_PUBLISH_INTERVAL_DOC)
          .define(MODEL_SNAPSHOT_INTERVAL_CONFIG, Type.LONG, 30_000L, Range.atLeast(0),
              Importance.LOW, MODEL_SNAPSHOT_INTERVAL_DOC)
          .define(MODEL_DELTA_TOLERANCE_CONFIG, Type.DOUBLE, 1e-5, Range.between(0.0, 1.0),
              Importance.LOW, MODEL_DELTA_TOLERANCE_DOC)
          .define(MODEL_DELTA_ENCODING_CONFIG, Type.STRING, "int8", ValidString.in("int8", "float32"),
              Importance.LOW, MODEL_DELTA_ENCODING_DOC)
          .define(MODEL_SEQUENCE_LENGTH_CONFIG, Type.INT, 20, Range.between(1, 1000),
              Importance.MEDIUM, MODEL_SEQUENCE_LENGTH_DOC)
          .define(MODEL_LEARNING_RATE_CONFIG, Type.DOUBLE, 0.01, Range.between(1e-6, 1.0),
              Importance.MEDIUM, MODEL_LEARNING_RATE_DOC)
          .define(MODEL_OUTPUT_LEARNING_RATE_SCALE_CONFIG, Type.DOUBLE, 8.0,
              Range.between(0.01, 100.0), Importance.LOW, MODEL_OUTPUT_LEARNING_RATE_SCALE_DOC)
          .define(MODEL_EMBEDDING_SIZE_CONFIG, Type.INT, 64, Range.between(1, 4096),
              Importance.LOW, MODEL_EMBEDDING_SIZE_DOC)
          .define(MODEL_HIDDEN_SIZE_CONFIG, Type.INT, 128, Range.between(1, 4096),
              Importance.MEDIUM, MODEL_HIDDEN_SIZE_DOC)
          .define(MODEL_DROPOUT_CONFIG, Type.DOUBLE, 0.0, Range.between(0.0, 0.9),
              Importance.LOW, MODEL_DROPOUT_DOC)
          .define(MODEL_BACKPROP_STEPS_CONFIG, Type.INT, 5, Range.between(1, 1000),
              Importance.LOW, MODEL_BACKPROP_STEPS_DOC)
          .define(MODEL_LOSS_CONFIG, Type.STRING, "full", ValidString.in("full", "sampled"),
              Importance.LOW, MODEL_LOSS_DOC)
          .define(MODEL_NEGATIVES_CONFIG, Type.INT, 2048, Range.between(1, 1_000_000),
              Importance.LOW, MODEL_NEGATIVES_DOC)
          .define(SERVING_STATE_STEPS_CONFIG, Type.INT, 20, Range.between(0, 100_000),
              Importance.LOW, SERVING_STATE_STEPS_DOC)
          .define(SERVING_STATE_USERS_CONFIG, Type.INT, 20_000, Range.between(1, 10_000_000),
              Importance.LOW, SERVING_STATE_USERS_DOC)
          .define(TRAINER_STATE_STEPS_CONFIG, Type.INT, 20, Range.between(0, 1_000_000),
              Importance.LOW, TRAINER_STATE_STEPS_DOC)
          .define(TRAINER_STATE_USERS_CONFIG, Type.INT, 100_000, Range.between(1, 100_000_000),
              Importance.LOW, TRAINER_STATE_USERS_DOC)
          .define(SERVING_MIN_HISTORY_CONFIG, Type.INT, 1, Range.between(1, 1000),
              Importance.LOW, SERVING_MIN_HISTORY_DOC)
          .define(SERVING_BATCH_SIZE_CONFIG, Type.INT, 256, Range.between(1, 10_000),
              Importance.MEDIUM, SERVING_BATCH_SIZE_DOC)
          .define(SERVING_BATCH_WAIT_CONFIG, Type.LONG, 20L, Range.atLeast(1), Importance.MEDIUM,
              SERVING_BATCH_WAIT_DOC)
          .define(SERVING_SEEN_ITEMS_CONFIG, Type.INT, 200_000, Range.between(1, 100_000_000),
              Importance.LOW, SERVING_SEEN_ITEMS_DOC)
          .define(TOPIC_PARTITIONS_CONFIG, Type.INT, 4, Range.atLeast(1), Importance.MEDIUM,
              TOPIC_PARTITIONS_DOC)
          .define(TOPIC_REPLICATION_CONFIG, Type.SHORT, (short) -1, Range.atLeast(-1),
              Importance.MEDIUM, TOPIC_REPLICATION_DOC)
          .define(EVENT_WEIGHTS_CONFIG, Type.LIST,
              "view:1,click:2,cart:4,purchase:8,rating:4", weightsValidator(), Importance.HIGH,
              EVENT_WEIGHTS_DOC)
          .define(EVENT_MAX_BYTES_CONFIG, Type.INT, 64 * 1024, Range.atLeast(64),
              Importance.LOW, EVENT_MAX_BYTES_DOC)
          .define(EVENT_MAX_ID_LENGTH_CONFIG, Type.INT, 256, Range.between(1, 4096),
              Importance.LOW, EVENT_MAX_ID_LENGTH_DOC)
          .define(RECENT_ITEMS_CONFIG, Type.INT, 50, Range.between(1, 10_000), Importance.MEDIUM,
              RECENT_ITEMS_DOC)
          .define(HALF_LIFE_CONFIG, Type.LONG, 7L * 24 * 3600 * 1000, Range.atLeast(1),
              Importance.MEDIUM, HALF_LIFE_DOC)
          .define(LEADERBOARD_SIZE_CONFIG, Type.INT, 500, Range.between(1, 100_000),
              Importance.LOW, LEADERBOARD_SIZE_DOC)
          .define(PUBLISH_INTERVAL_CONFIG, Type.LONG, 1000L, Range.atLeast(10), Importance.LOW,
              PUBLISH_INTERVAL_DOC)
          .define(TOP_K_CONFIG, Type.INT, 10, Range.between(1, 1000), Importance.HIGH, TOP_K_DOC)
          .define(ROCKSDB_MEMORY_CONFIG, Type.LONG, 128L << 20, Range.atLeast(1L << 20),
              Importance.MEDIUM, ROCKSDB_MEMORY_DOC);

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
              throw new ConfigException(name, value, "unknown recsys setting");
            }
            ours.put(name, value);
          }
        });
    RecsysConfig config = new RecsysConfig(ours);
    return new RecsysSettings(
        new RecsysSettings.TopicNames(
            config.getString(EVENTS_TOPIC_CONFIG),
            config.getString(DLQ_TOPIC_CONFIG),
            config.getString(RECOMMENDATIONS_TOPIC_CONFIG),
            config.getString(ITEM_EVENTS_TOPIC_CONFIG),
            config.getString(POPULARITY_TOPIC_CONFIG),
            config.getString(TRAINING_EXAMPLES_TOPIC_CONFIG),
            config.getString(MODEL_UPDATES_TOPIC_CONFIG),
            config.getString(METRICS_TOPIC_CONFIG)),
        config.getInt(TOPIC_PARTITIONS_CONFIG),
        config.getShort(TOPIC_REPLICATION_CONFIG),
        parseWeights(config.getList(EVENT_WEIGHTS_CONFIG)),
        config.getInt(EVENT_MAX_BYTES_CONFIG),
        config.getInt(EVENT_MAX_ID_LENGTH_CONFIG),
        config.getInt(RECENT_ITEMS_CONFIG),
        config.getLong(HALF_LIFE_CONFIG),
        config.getInt(LEADERBOARD_SIZE_CONFIG),
        config.getLong(PUBLISH_INTERVAL_CONFIG),
        config.getInt(TOP_K_CONFIG),
        config.getLong(ROCKSDB_MEMORY_CONFIG),
        config.getLong(METRICS_INTERVAL_CONFIG),
        config.getInt(HTTP_PORT_CONFIG),
        config.getInt(SERVING_BATCH_SIZE_CONFIG),
        config.getLong(SERVING_BATCH_WAIT_CONFIG),
        config.getInt(SERVING_SEEN_ITEMS_CONFIG),
        new RecsysSettings.Learning(
            config.getBoolean(MODEL_ENABLED_CONFIG),
            config.getBoolean(TRAINER_ENABLED_CONFIG),
            config.getString(TRAINER_DIR_CONFIG),
            config.getString(REGISTRY_DIR_CONFIG),
            config.getInt(TRAINER_BATCH_SIZE_CONFIG),
            config.getLong(TRAINER_BATCH_WAIT_CONFIG),
            config.getLong(TRAINER_CHECKPOINT_INTERVAL_CONFIG),
            config.getLong(MODEL_PUBLISH_INTERVAL_CONFIG),
            config.getLong(MODEL_SNAPSHOT_INTERVAL_CONFIG),
            config.getDouble(MODEL_DELTA_TOLERANCE_CONFIG),
            config.getString(MODEL_DELTA_ENCODING_CONFIG).equals("int8"),
            config.getInt(SERVING_MIN_HISTORY_CONFIG),
            config.getInt(MODEL_SEQUENCE_LENGTH_CONFIG),
            config.getDouble(MODEL_LEARNING_RATE_CONFIG),
            config.getDouble(MODEL_OUTPUT_LEARNING_RATE_SCALE_CONFIG),
            config.getInt(MODEL_EMBEDDING_SIZE_CONFIG),
            config.getInt(MODEL_HIDDEN_SIZE_CONFIG),
            config.getInt(MODEL_BACKPROP_STEPS_CONFIG),
            config.getDouble(MODEL_DROPOUT_CONFIG),
            config.getString(MODEL_LOSS_CONFIG).equals("sampled")
                ? LossType.SAMPLED_SOFTMAX
                : LossType.FULL_SOFTMAX,
            config.getInt(MODEL_NEGATIVES_CONFIG),
            config.getInt(SERVING_STATE_STEPS_CONFIG),
            config.getInt(SERVING_STATE_USERS_CONFIG),
            config.getInt(TRAINER_STATE_STEPS_CONFIG),
            config.getInt(TRAINER_STATE_USERS_CONFIG)));
  }

  /** The settings with every default. */
  public static RecsysSettings defaults() {
    return parse(Map.of());
  }

  /** A Markdown table of every setting, for the README. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder();
    out.append("| Key | Type | Default | Valid values | Description |\n");
    out.append("|---|---|---|---|---|\n");
    for (ConfigDef.ConfigKey key : CONFIG_DEF.configKeys().values()) {
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
    return out.toString();
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
