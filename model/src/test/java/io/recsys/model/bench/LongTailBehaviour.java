package io.recsys.model.bench;

import io.recsys.model.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Users walking a long-tailed catalogue: most steps go from item k to k+1 (a series), the rest jump
 * to an item drawn by a Zipf law over the catalogue (item 0 the most popular).
 */
public final class LongTailBehaviour {
  private final int items;
  private final double[] cdf;
  private final SplittableRandom rng;
  private final int[][] sessions = new int[4_096][];

  public LongTailBehaviour(int items, long seed) {
    this.items = items;
    this.rng = new SplittableRandom(seed);
    this.cdf = new double[items];
    double sum = 0;
    for (int i = 0; i < items; i++) {
      sum += 1 / Math.pow(i + 1, 0.9);
      cdf[i] = sum;
    }
    for (int i = 0; i < items; i++) {
      cdf[i] /= sum;
    }
  }

  public static String item(int k) {
    return "item-" + k;
  }

  private int draw() {
    double u = rng.nextDouble();
    int lo = 0;
    int hi = items - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int step(int from) {
    return rng.nextDouble() < 0.6 ? (from + 1) % items : draw();
  }

  /** The next {@code n} events as examples: a user's 20 newest items, then the next one. */
  public List<TrainingExample> examples(int n) {
    List<TrainingExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int s = rng.nextInt(sessions.length);
      if (sessions[s] == null || rng.nextDouble() < 0.02) {
        int[] fresh = new int[20];
        fresh[19] = draw();
        for (int k = 18; k >= 0; k--) {
          fresh[k] = Math.floorMod(fresh[k + 1] - 1, items);
        }
        sessions[s] = fresh;
      }
      int[] history = sessions[s];
      int next = step(history[history.length - 1]);
      List<String> sequence = new ArrayList<>(history.length);
      for (int k : history) {
        sequence.add(item(k));
      }
      out.add(new TrainingExample(sequence, item(next), 1.0, 1_000 + i));
      System.arraycopy(history, 1, history, 0, history.length - 1);
      history[history.length - 1] = next;
    }
    return out;
  }
}
