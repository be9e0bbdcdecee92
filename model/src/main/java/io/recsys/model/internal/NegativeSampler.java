package io.recsys.model.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Negative sampling for the sampled-softmax loss: which rows one training step scores. */
final class NegativeSampler {
  private NegativeSampler() {}

  /**
   * The rows a sampled-softmax step scores: every distinct target row first, then the distinct
   * negatives drawn; {@code labels} gives each target's index among them, {@code probability} each
   * row's sampling probability (for the logQ correction).
   */
  record Candidates(int[] rows, int[] labels, double[] probability) {}

  /**
   * Draws {@code negatives} rows in proportion to {@code samplingWeights} among the active rows (a
   * {@code logitMask} of 0), with replacement; repeated draws and targets are scored once.
   */
  static Candidates sample(
      int[] labels,
      float[] samplingWeights,
      float[] logitMask,
      int negatives,
      SplittableRandom rng) {
    int cap = logitMask.length;
    double[] cumulative = new double[cap];
    double total = 0;
    for (int j = 0; j < cap; j++) {
      total += logitMask[j] == 0f ? samplingWeights[j] : 0.0;
      cumulative[j] = total;
    }
    int[] slot = new int[cap];
    Arrays.fill(slot, -1);
    int[] rowsList = new int[labels.length + negatives];
    int c = 0;
    int[] candLabels = new int[labels.length];
    for (int r = 0; r < labels.length; r++) {
      int row = labels[r];
      if (slot[row] < 0) {
        slot[row] = c;
        rowsList[c++] = row;
      }
      candLabels[r] = slot[row];
    }
    if (total > 0) {
      for (int s = 0; s < negatives; s++) {
        double x = rng.nextDouble() * total;
        int row = Arrays.binarySearch(cumulative, x);
        row = row >= 0 ? row : -row - 1;
        row = Math.min(row, cap - 1);
        if (slot[row] < 0) {
          slot[row] = c;
          rowsList[c++] = row;
        }
      }
    }
    int[] cand = Arrays.copyOf(rowsList, c);
    double[] prob = new double[c];
    for (int j = 0; j < c; j++) {
      double wj = total > 0 ? samplingWeights[cand[j]] / total : 0.0;
      // Floor for targets the sampler would never draw (weight 0): keeps the correction finite.
      prob[j] = Math.max(wj, 1e-9);
    }
    return new Candidates(cand, candLabels, prob);
  }
}
