package io.recsys.model.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Negative sampling for the sampled-softmax loss: which rows one training step scores.
 *
 * <p>Row weights live in a Fenwick tree, so that a training step's cost does not grow with the
 * catalogue: a weight changes in O(log rows) (an item seen once more), a draw costs O(log rows),
 * and nothing per step touches every row. Rebuilding the proposal from every item's count on every
 * step (what this replaced) cost 12 MB of allocation and a million {@code pow} calls per step at
 * 10^6 items. Not thread-safe.
 */
public final class NegativeSampler {
  private double[] weight;
  private double[] tree; // 1-based Fenwick sums over weight

  public NegativeSampler(int capacity) {
    this.weight = new double[capacity];
    this.tree = new double[capacity + 1];
  }

  /** A sampler over {@code weights} (one per row, >= 0), built in O(rows). */
  public static NegativeSampler of(float[] weights) {
    NegativeSampler s = new NegativeSampler(0);
    s.weight = new double[weights.length];
    for (int i = 0; i < weights.length; i++) {
      s.weight[i] = weights[i];
    }
    s.tree = fenwick(s.weight);
    return s;
  }

  public int capacity() {
    return weight.length;
  }

  /** Row {@code row}'s weight; 0 means it is never drawn (free rows). */
  public void set(int row, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("weight must be finite and >= 0, got " + value);
    }
    double change = value - weight[row];
    if (change == 0) {
      return;
    }
    weight[row] = value;
    for (int i = row + 1; i < tree.length; i += i & -i) {
      tree[i] += change;
    }
  }

  public double weight(int row) {
    return weight[row];
  }

  /** Rows added at the end with weight 0. */
  public void grow(int newCapacity) {
    if (newCapacity > weight.length) {
      weight = Arrays.copyOf(weight, newCapacity);
      tree = fenwick(weight);
    }
  }

  private static double[] fenwick(double[] w) {
    double[] t = new double[w.length + 1];
    for (int i = 1; i <= w.length; i++) {
      t[i] += w[i - 1];
      int parent = i + (i & -i);
      if (parent <= w.length) {
        t[parent] += t[i];
      }
    }
    return t;
  }

  /** Sum of every weight. */
  public double total() {
    return prefix(weight.length);
  }

  private double prefix(int rows) {
    double sum = 0;
    for (int i = rows; i > 0; i -= i & -i) {
      sum += tree[i];
    }
    return sum;
  }

  /** The row whose cumulative weight interval holds {@code x} in [0, total). */
  private int find(double x) {
    int pos = 0;
    double remaining = x;
    for (int step = Integer.highestOneBit(Math.max(1, weight.length)); step > 0; step >>= 1) {
      int next = pos + step;
      if (next <= weight.length && tree[next] <= remaining) {
        pos = next;
        remaining -= tree[next];
      }
    }
    // Rounding can land on a zero-weight row at the end of a run: step back to a drawable one.
    int row = Math.min(pos, weight.length - 1);
    while (row > 0 && weight[row] == 0) {
      row--;
    }
    return row;
  }

  /**
   * The rows a sampled-softmax step scores: every distinct target row first, then the distinct
   * negatives drawn; {@code labels} gives each target's index among them, {@code probability} each
   * row's sampling probability (for the logQ correction).
   */
  public record Candidates(int[] rows, int[] labels, double[] probability) {}

  /**
   * Draws {@code negatives} rows in proportion to their weights, with replacement; repeated draws
   * and targets are scored once. The batch's own targets are in-batch negatives for each other.
   */
  public Candidates sample(int[] labels, int negatives, SplittableRandom rng) {
    Map<Integer, Integer> slot = new HashMap<>(2 * (labels.length + negatives));
    int[] rowsList = new int[labels.length + negatives];
    int c = 0;
    int[] candLabels = new int[labels.length];
    for (int r = 0; r < labels.length; r++) {
      Integer at = slot.putIfAbsent(labels[r], c);
      if (at == null) {
        rowsList[c] = labels[r];
        candLabels[r] = c++;
      } else {
        candLabels[r] = at;
      }
    }
    double total = prefix(weight.length);
    if (total > 0) {
      for (int s = 0; s < negatives; s++) {
        int row = find(rng.nextDouble() * total);
        if (weight[row] > 0 && slot.putIfAbsent(row, c) == null) {
          rowsList[c++] = row;
        }
      }
    }
    int[] cand = Arrays.copyOf(rowsList, c);
    double[] prob = new double[c];
    for (int j = 0; j < c; j++) {
      double wj = total > 0 ? weight[cand[j]] / total : 0.0;
      // Floor for targets the sampler would never draw (weight 0): keeps the correction finite.
      prob[j] = Math.max(wj, 1e-9);
    }
    return new Candidates(cand, candLabels, prob);
  }
}
