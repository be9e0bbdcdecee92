package io.recsys.model.evaluation;

import java.util.List;

/**
 * Item-to-item co-occurrence: counts how often item j follows item i within {@link #WINDOW} steps
 * in the training sequences (closer steps weigh more), then scores a user's candidates from the
 * last {@link #RECENT} items of the history, newest weighing most. Popularity breaks ties, scaled
 * so that it never outweighs one co-occurrence.
 */
final class CooccurrenceBaseline {
  static final int WINDOW = 3;
  static final int RECENT = 3;

  private final float[][] follows; // [from][to], rows allocated on first use
  private final float[] popularity;
  private final int items;

  CooccurrenceBaseline(List<int[]> trainSequences, int items) {
    this.items = items;
    this.follows = new float[items][];
    this.popularity = new float[items];
    float maxPop = 0;
    for (int[] s : trainSequences) {
      for (int p = 0; p < s.length; p++) {
        popularity[s[p]]++;
        maxPop = Math.max(maxPop, popularity[s[p]]);
        float[] row = null;
        for (int q = p + 1; q < Math.min(s.length, p + 1 + WINDOW); q++) {
          if (row == null) {
            row = follows[s[p]] == null ? (follows[s[p]] = new float[items]) : follows[s[p]];
          }
          row[s[q]] += 1f / (q - p);
        }
      }
    }
    float scale = maxPop > 0 ? 1e-3f / maxPop : 0f;
    for (int j = 0; j < items; j++) {
      popularity[j] *= scale;
    }
  }

  float[] scores(int[] history) {
    float[] s = popularity.clone();
    for (int k = 0; k < Math.min(RECENT, history.length); k++) {
      float[] row = follows[history[history.length - 1 - k]];
      if (row == null) {
        continue;
      }
      float w = 1f / (k + 1);
      for (int j = 0; j < items; j++) {
        s[j] += w * row[j];
      }
    }
    return s;
  }
}
