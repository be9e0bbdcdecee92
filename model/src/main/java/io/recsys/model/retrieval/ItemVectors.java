package io.recsys.model.retrieval;

import java.util.function.IntPredicate;

/**
 * A read-only view of a model's item output rows: item {@code row}'s logit for a hidden state
 * {@code x} is {@code weights[row * width .. +width) . x + bias[row]}. The arrays are the model's
 * own (no copy); whoever holds the view must not write them. Rows may change while they are read (a
 * delta applied in place); a reader that needs one version's rows copies them under the model's
 * lock.
 *
 * @param rows item rows, active or free
 * @param width hidden-state width
 * @param weights {@code rows * width} output weights, row after row
 * @param bias {@code rows} output biases
 * @param active whether a row holds an item (free rows are never recommended)
 */
public record ItemVectors(int rows, int width, float[] weights, float[] bias, IntPredicate active) {

  public ItemVectors {
    if (weights.length < (long) rows * width || bias.length < rows) {
      throw new IllegalArgumentException(
          "arrays too short for " + rows + " rows of " + width + " values");
    }
  }

  /** Row {@code row}'s logit for {@code hidden}. */
  public float logit(int row, float[] hidden) {
    return InnerProduct.dot(weights, row * width, hidden, 0, width) + bias[row];
  }
}
