package io.recsys.model;

import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every hyperparameter of the next-item model, defined once: its name, what it does and its
 * trade-off, its type and range, how to read it from a {@link ModelConfig} and how to set it on a
 * {@link ModelConfig.Builder}. The streaming pipeline's settings ({@code recsys.model.<name with
 * dots>}), the {@code evaluate} and {@code retrain} flags ({@code --<name>}) and hyperparameter
 * files ({@code <name>}) are all made from this table, so a hyperparameter is spelled, checked and
 * documented in one place.
 */
public enum Hyperparameter {
  EMBEDDING_SIZE(
      "embedding-size",
      "Item embedding width. Wider embeddings separate more items, at memory and time linear in"
          + " the width.",
      Kind.INT,
      1,
      4096,
      ModelConfig::embeddingSize,
      (b, v) -> b.embeddingSize((Integer) v)),
  HIDDEN_SIZE(
      "hidden-size",
      "LSTM state width. Wider states fit more patterns; cost per step grows with its square.",
      Kind.INT,
      1,
      4096,
      ModelConfig::hiddenSize,
      (b, v) -> b.hiddenSize((Integer) v)),
  SEQUENCE_LENGTH(
      "sequence-length",
      "Most recent items of a user that the model reads, for training examples and scoring."
          + " Longer windows see more context and cost more per re-read.",
      Kind.INT,
      1,
      1000,
      ModelConfig::sequenceLength,
      (b, v) -> b.sequenceLength((Integer) v)),
  BACKPROP_STEPS(
      "backprop-steps",
      "In incremental training, how many of a sequence's newest steps get gradients; older steps"
          + " only build the state. More steps learn longer patterns at proportionally more cost.",
      Kind.INT,
      1,
      1000,
      ModelConfig::backpropSteps,
      (b, v) -> b.backpropSteps((Integer) v)),
  DROPOUT(
      "dropout",
      "Dropout rate on the item embeddings and the LSTM output. Regularises small or repeated"
          + " data; slows learning from a stream that shows each example once.",
      Kind.DOUBLE,
      0.0,
      0.9,
      ModelConfig::dropout,
      (b, v) -> b.dropout((Double) v)),
  LEARNING_RATE(
      "learning-rate",
      "Adam step size. Larger steps follow a changing stream faster and are noisier.",
      Kind.DOUBLE,
      1e-6,
      1.0,
      ModelConfig::learningRate,
      (b, v) -> b.learningRate((Double) v)),
  OUTPUT_LEARNING_RATE_SCALE(
      "output-learning-rate-scale",
      "Step size of the output layer (item output rows and biases) as a multiple of the learning"
          + " rate. Output rows are linear scores over a fixed state and tolerate larger steps"
          + " than the LSTM and the embeddings, which diverge first.",
      Kind.DOUBLE,
      0.01,
      100.0,
      ModelConfig::outputLearningRateScale,
      (b, v) -> b.outputLearningRateScale((Double) v)),
  L2(
      "l2",
      "L2 penalty added to every gradient. Shrinks rarely seen items' rows; too much flattens"
          + " every score.",
      Kind.DOUBLE,
      0.0,
      1.0,
      ModelConfig::l2,
      (b, v) -> b.l2((Double) v)),
  LOSS(
      "loss",
      "Training loss: 'full' is the exact softmax over every item, its cost growing with the"
          + " catalogue; 'sampled' scores the batch's targets plus sampled negatives (logQ"
          + " corrected), its cost independent of the catalogue, at some accuracy; 'auto' is"
          + " full up to 20,000 item rows and sampled above.",
      Kind.LOSS,
      0,
      0,
      ModelConfig::loss,
      (b, v) -> b.loss((LossType) v)),
  NEGATIVES(
      "negatives",
      "Items sampled per batch as negatives for the sampled loss. More negatives approach the"
          + " full softmax and cost more.",
      Kind.INT,
      1,
      1_000_000,
      ModelConfig::negatives,
      (b, v) -> b.negatives((Integer) v)),
  SAMPLING_EXPONENT(
      "sampling-exponent",
      "Popularity exponent of the negative sampler: 0 samples uniformly, 1 in proportion to"
          + " popularity.",
      Kind.DOUBLE,
      0.0,
      1.0,
      ModelConfig::samplingExponent,
      (b, v) -> b.samplingExponent((Double) v)),
  MAX_BATCH_SIZE(
      "max-batch-size",
      "Examples per optimiser step; larger micro-batches are split. Larger steps use the CPU"
          + " better and update the weights less often.",
      Kind.INT,
      1,
      65_536,
      ModelConfig::maxBatchSize,
      (b, v) -> b.maxBatchSize((Integer) v)),
  SEED(
      "seed",
      "Seed of initialisation, shuffling, dropout and sampling: a run is reproducible from it.",
      Kind.LONG,
      Long.MIN_VALUE,
      Long.MAX_VALUE,
      ModelConfig::seed,
      (b, v) -> b.seed((Long) v));

  /** The value types a hyperparameter can have. */
  public enum Kind {
    INT,
    LONG,
    DOUBLE,
    LOSS
  }

  private final String key;
  private final String doc;
  private final Kind kind;
  private final double min;
  private final double max;
  private final Function<ModelConfig, Object> getter;
  private final BiConsumer<ModelConfig.Builder, Object> setter;

  Hyperparameter(
      String key,
      String doc,
      Kind kind,
      double min,
      double max,
      Function<ModelConfig, Object> getter,
      BiConsumer<ModelConfig.Builder, Object> setter) {
    this.key = key;
    this.doc = doc;
    this.kind = kind;
    this.min = min;
    this.max = max;
    this.getter = getter;
    this.setter = setter;
  }

  /** The name in flags and hyperparameter files, such as {@code learning-rate}. */
  public String key() {
    return key;
  }

  /** The name inside a dotted setting, such as {@code learning.rate}. */
  public String dottedKey() {
    return key.replace('-', '.');
  }

  /** What it does and its trade-off. */
  public String doc() {
    return doc;
  }

  public Kind kind() {
    return kind;
  }

  /** The smallest accepted value (numeric kinds). */
  public double min() {
    return min;
  }

  /** The largest accepted value (numeric kinds). */
  public double max() {
    return max;
  }

  /** The Java type of its values: Integer, Long, Double or {@link LossType}. */
  public Class<?> valueType() {
    return switch (kind) {
      case INT -> Integer.class;
      case LONG -> Long.class;
      case DOUBLE -> Double.class;
      case LOSS -> LossType.class;
    };
  }

  /** Its value in {@code config}. */
  public Object get(ModelConfig config) {
    return getter.apply(config);
  }

  /**
   * Parses {@code text} and checks its range.
   *
   * @throws IllegalArgumentException naming this hyperparameter, what it expects and the text
   */
  public Object parse(String text) {
    String trimmed = text.trim();
    Object value;
    try {
      value =
          switch (kind) {
            case INT -> Integer.valueOf(trimmed);
            case LONG -> Long.valueOf(trimmed);
            case DOUBLE -> Double.valueOf(trimmed);
            case LOSS -> LossType.fromId(trimmed);
          };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key
              + " must be "
              + (kind == Kind.DOUBLE ? "a number" : "an integer")
              + ", got '"
              + text
              + "'");
    } catch (IllegalArgumentException e) {
      // LossType.fromId's message already names the hyperparameter and the accepted values.
      throw e;
    }
    check(value);
    return value;
  }

  /**
   * Sets {@code value} (of {@link #valueType()}) on {@code builder}.
   *
   * @throws IllegalArgumentException when it is out of range, naming this hyperparameter
   */
  public void set(ModelConfig.Builder builder, Object value) {
    check(value);
    setter.accept(builder, value);
  }

  private void check(Object value) {
    if (value instanceof Number number) {
      double d = number.doubleValue();
      if (!(d >= min && d <= max)) {
        throw new IllegalArgumentException(
            key + " must be in [" + format(min) + ", " + format(max) + "], got " + value);
      }
    }
  }

  private String format(double bound) {
    return kind == Kind.DOUBLE ? String.valueOf(bound) : String.valueOf((long) bound);
  }

  /** The hyperparameter whose {@link #key()} is {@code key}, ignoring case. */
  public static java.util.Optional<Hyperparameter> byKey(String key) {
    String wanted = key.toLowerCase(Locale.ROOT);
    for (Hyperparameter h : values()) {
      if (h.key.equals(wanted)) {
        return java.util.Optional.of(h);
      }
    }
    return java.util.Optional.empty();
  }
}
