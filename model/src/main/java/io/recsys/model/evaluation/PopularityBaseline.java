package io.recsys.model.evaluation;

import java.util.List;

/** Scores every item by how often it occurs in the training sequences. */
final class PopularityBaseline {
  private final float[] counts;

  PopularityBaseline(List<int[]> trainSequences, int items) {
    counts = new float[items];
    for (int[] s : trainSequences) {
      for (int row : s) {
        counts[row]++;
      }
    }
  }

  float[] scores() {
    return counts;
  }
}
