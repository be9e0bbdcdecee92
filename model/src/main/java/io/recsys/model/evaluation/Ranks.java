package io.recsys.model.evaluation;

import java.util.BitSet;

/**
 * The rank of a target among all catalogue items, excluding the user's history. Ties are broken by
 * item index, smaller first, the same rule as top-K recommendation, so the rank equals the target's
 * position in the full recommendation list.
 */
public final class Ranks {
  private Ranks() {}

  /** The set of {@code rows}, as {@link #rankOf} takes the excluded items. */
  static BitSet excluding(int[] rows) {
    BitSet b = new BitSet();
    for (int r : rows) {
      b.set(r);
    }
    return b;
  }

  /**
   * @param scores one score per item index
   * @param target the held-out item's index
   * @param excluded item indices removed before ranking (the history); never contains the target in
   *     the protocol, and is ignored for it if it does
   */
  public static int rankOf(float[] scores, int target, BitSet excluded) {
    if (target < 0 || target >= scores.length) {
      throw new IllegalArgumentException(
          "target must be in [0, " + scores.length + "), got " + target);
    }
    float t = scores[target];
    int rank = 0;
    for (int i = 0; i < scores.length; i++) {
      if (i == target || excluded.get(i)) {
        continue;
      }
      float s = scores[i];
      if (s > t || (s == t && i < target)) {
        rank++;
      }
    }
    return rank;
  }
}
