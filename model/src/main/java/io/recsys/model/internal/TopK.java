package io.recsys.model.internal;

import java.util.function.IntPredicate;

/**
 * Top-k selection over a score array. A min-heap of positions in a plain array, the worst kept at
 * the root: no boxing, and once it is full a row costs one float comparison with the root's score
 * (rows are scanned in order, so a tie with the root is never better). Ties go to the lower row, so
 * results are deterministic.
 */
public final class TopK {
  private TopK() {}

  /**
   * The positions of the best {@code k} rows of {@code scores[offset, offset + rows)} that {@code
   * rankable} accepts (tested with the row, not the position), best first.
   */
  public static int[] best(float[] scores, int offset, int rows, int k, IntPredicate rankable) {
    int[] heap = new int[k];
    int size = 0;
    float worstKept = Float.NEGATIVE_INFINITY;
    for (int row = 0; row < rows; row++) {
      float score = scores[offset + row];
      if (size == k && score <= worstKept) {
        continue;
      }
      if (!rankable.test(row)) {
        continue;
      }
      if (size < k) {
        heap[size] = offset + row;
        siftUp(heap, size++, scores);
      } else {
        heap[0] = offset + row;
        siftDown(heap, size, scores);
      }
      if (size == k) {
        worstKept = scores[heap[0]];
      }
    }
    int[] best = new int[size];
    for (int i = size - 1; i >= 0; i--) {
      best[i] = heap[0];
      heap[0] = heap[i];
      siftDown(heap, i, scores);
    }
    return best;
  }

  /** Whether position {@code a} ranks above {@code b}: higher score, then lower row. */
  private static boolean better(int a, int b, float[] scores) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  }

  private static void siftUp(int[] heap, int at, float[] scores) {
    while (at > 0) {
      int parent = (at - 1) / 2;
      if (!better(heap[parent], heap[at], scores)) {
        return;
      }
      int t = heap[parent];
      heap[parent] = heap[at];
      heap[at] = t;
      at = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] scores) {
    int at = 0;
    while (true) {
      int worst = at;
      int left = 2 * at + 1;
      int right = left + 1;
      if (left < size && better(heap[worst], heap[left], scores)) {
        worst = left;
      }
      if (right < size && better(heap[worst], heap[right], scores)) {
        worst = right;
      }
      if (worst == at) {
        return;
      }
      int t = heap[worst];
      heap[worst] = heap[at];
      heap[at] = t;
      at = worst;
    }
  }
}
