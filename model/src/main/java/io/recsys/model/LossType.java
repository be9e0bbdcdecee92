package io.recsys.model;

/** How the next-item scores are turned into a training loss. */
public enum LossType {
  /**
   * Softmax cross-entropy over every item of the catalogue. Exact; costs O(items) per target, so
   * best up to tens of thousands of items.
   */
  FULL_SOFTMAX,
  /**
   * Softmax cross-entropy over the batch's targets plus {@link ModelConfig#negatives()} items
   * sampled from popularity^{@link ModelConfig#samplingExponent()}, with the logQ correction for
   * the sampling bias. Costs O(negatives) per batch, for large catalogues.
   */
  SAMPLED_SOFTMAX
}
