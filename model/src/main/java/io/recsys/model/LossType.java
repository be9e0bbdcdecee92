package io.recsys.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the next-item scores are turned into a training loss. Users name it by its {@link #id()}
 * ({@code auto}, {@code full}, {@code sampled}) in settings, flags and hyperparameter files alike;
 * checkpoints store the constant's name.
 */
public enum LossType {
  /**
   * Softmax cross-entropy over every item of the catalogue. Exact; costs O(items) per target, so
   * best up to tens of thousands of items.
   */
  FULL_SOFTMAX("full"),
  /**
   * Softmax cross-entropy over the batch's targets plus {@link ModelConfig#negatives()} items
   * sampled from popularity^{@link ModelConfig#samplingExponent()}, with the logQ correction for
   * the sampling bias. Costs O(negatives) per batch, for large catalogues.
   */
  SAMPLED_SOFTMAX("sampled"),
  /**
   * {@link #FULL_SOFTMAX} while the model has at most {@link #AUTO_SAMPLED_ABOVE_ROWS} item rows,
   * {@link #SAMPLED_SOFTMAX} above: exact where it is affordable, a step cost that does not grow
   * with the catalogue where it is not.
   */
  AUTO("auto");

  /**
   * Item rows above which {@link #AUTO} samples. At 20,000 rows the full softmax's output product
   * (batch x hidden x rows) is already about as costly as the LSTM steps of a batch, and it grows
   * linearly from there, while the sampled loss with the default 2,048 negatives stays flat.
   */
  public static final int AUTO_SAMPLED_ABOVE_ROWS = 20_000;

  private final String id;

  LossType(String id) {
    this.id = id;
  }

  /** Whether a model with {@code itemRows} rows trains with the sampled loss. */
  public boolean samplesAt(int itemRows) {
    return this == SAMPLED_SOFTMAX || (this == AUTO && itemRows > AUTO_SAMPLED_ABOVE_ROWS);
  }

  /** The name users write: {@code auto}, {@code full} or {@code sampled}. */
  public String id() {
    return id;
  }

  /**
   * The loss named {@code id} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value received and the accepted ones
   */
  public static LossType fromId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(loss -> loss.id.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "loss must be one of " + ids() + ", got '" + id + "'"));
  }

  /** The accepted ids, for messages and docs. */
  public static String ids() {
    return Arrays.toString(Arrays.stream(values()).map(LossType::id).toArray());
  }

  @Override
  public String toString() {
    return id;
  }
}
