package io.recsys.model.evaluation;

import io.recsys.model.strategy.CooccurrenceWeights;
import java.util.Arrays;
import java.util.List;

/**
 * Item-to-item co-occurrence over the training sequences, weighted as {@link CooccurrenceWeights}
 * says (the same weights the streaming pipeline keeps per item). Rows are sparse: a catalogue of
 * 10^4-10^5 items has few neighbours per item, and dense rows would need items² floats. Popularity
 * breaks ties, scaled so that it never outweighs one co-occurrence.
 */
final class CooccurrenceBaseline {
  private final CooccurrenceWeights weights;
  private final int[][] neighbours; // [from] -> to-items, ascending
  private final float[][] counts; // [from] -> weight of each to-item
  private final float[] popularity;

  CooccurrenceBaseline(List<int[]> trainSequences, int items, CooccurrenceWeights weights) {
    this.weights = weights;
    int[] pairs = new int[items];
    for (int[] s : trainSequences) {
      for (int q = 1; q < s.length; q++) {
        for (int p = Math.max(0, q - weights.window()); p < q; p++) {
          pairs[s[p]]++;
          pairs[s[q]]++;
        }
      }
    }
    long[][] packed = new long[items][];
    int[] filled = new int[items];
    for (int i = 0; i < items; i++) {
      packed[i] = new long[pairs[i]];
    }
    for (int[] s : trainSequences) {
      for (int q = 1; q < s.length; q++) {
        for (int p = Math.max(0, q - weights.window()); p < q; p++) {
          int distance = q - p;
          packed[s[p]][filled[s[p]]++] = pack(s[q], (float) weights.forward(distance));
          packed[s[q]][filled[s[q]]++] = pack(s[p], (float) weights.backward(distance));
        }
      }
    }
    this.neighbours = new int[items][];
    this.counts = new float[items][];
    for (int i = 0; i < items; i++) {
      merge(i, packed[i]);
      packed[i] = null;
    }
    this.popularity = new float[items];
    float maxPop = 0;
    for (int[] s : trainSequences) {
      for (int row : s) {
        maxPop = Math.max(maxPop, ++popularity[row]);
      }
    }
    float scale = maxPop > 0 ? 1e-3f / maxPop : 0f;
    for (int j = 0; j < items; j++) {
      popularity[j] *= scale;
    }
  }

  /** An item in the high half, its weight's bits in the low half, so that sorting groups items. */
  private static long pack(int item, float weight) {
    return ((long) item << 32) | (Float.floatToRawIntBits(weight) & 0xffffffffL);
  }

  private void merge(int from, long[] row) {
    Arrays.sort(row);
    int distinct = 0;
    for (int i = 0; i < row.length; i++) {
      if (i == 0 || (row[i] >>> 32) != (row[i - 1] >>> 32)) {
        distinct++;
      }
    }
    int[] to = new int[distinct];
    float[] w = new float[distinct];
    int n = -1;
    for (int i = 0; i < row.length; i++) {
      int item = (int) (row[i] >>> 32);
      if (n < 0 || to[n] != item) {
        to[++n] = item;
      }
      w[n] += Float.intBitsToFloat((int) row[i]);
    }
    neighbours[from] = to;
    counts[from] = w;
  }

  float[] scores(int[] history) {
    float[] s = popularity.clone();
    for (int age = 0; age < Math.min(weights.recentItems(), history.length); age++) {
      int item = history[history.length - 1 - age];
      float w = (float) weights.age(age);
      int[] to = neighbours[item];
      float[] c = counts[item];
      for (int j = 0; j < to.length; j++) {
        s[to[j]] += w * c[j];
      }
    }
    return s;
  }
}
