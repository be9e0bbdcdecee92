package io.recsys.model.internal;

import java.util.List;

/**
 * A time-major batch of {@code lanes} parallel sequences over {@code steps} steps; index {@code t *
 * lanes + lane}. Each position has an input row (-1 for padding), a keep flag (0 resets the
 * recurrent state before the step: a new sequence starts there), a target row (-1 for none) and a
 * target weight. {@code gradientFrom} is the first step that gets gradients (truncated BPTT).
 */
public record SequenceBatch(
    int steps,
    int lanes,
    int[] inputs,
    float[] keep,
    int[] targets,
    float[] weights,
    int gradientFrom) {
  public SequenceBatch {
    int n = steps * lanes;
    if (steps <= 0 || lanes <= 0) {
      throw new IllegalArgumentException(
          "steps and lanes must be > 0, got " + steps + ", " + lanes);
    }
    if (inputs.length != n || keep.length != n || targets.length != n || weights.length != n) {
      throw new IllegalArgumentException("arrays must have steps * lanes = " + n + " entries");
    }
    if (gradientFrom < 0 || gradientFrom >= steps) {
      throw new IllegalArgumentException(
          "gradientFrom must be in [0, " + steps + "), got " + gradientFrom);
    }
  }

  public static SequenceBatch empty(int steps, int lanes, int gradientFrom) {
    int n = steps * lanes;
    int[] inputs = new int[n];
    int[] targets = new int[n];
    java.util.Arrays.fill(inputs, -1);
    java.util.Arrays.fill(targets, -1);
    return new SequenceBatch(
        steps, lanes, inputs, new float[n], targets, new float[n], gradientFrom);
  }

  /**
   * Sequences left-aligned from step 0, where each lane's start state enters, with gradients
   * through every step; the steps after a short lane's last item are padding without a target, so
   * no gradient reaches them.
   */
  public static SequenceBatch leftAligned(List<int[]> seqs) {
    int steps = 1;
    for (int[] s : seqs) {
      steps = Math.max(steps, s.length);
    }
    int lanes = seqs.size();
    SequenceBatch batch = empty(steps, lanes, 0);
    for (int lane = 0; lane < lanes; lane++) {
      int[] s = seqs.get(lane);
      for (int i = 0; i < s.length; i++) {
        int p = i * lanes + lane;
        batch.inputs()[p] = s[i];
        batch.keep()[p] = i == 0 ? 0f : 1f;
      }
    }
    return batch;
  }

  /**
   * Sequences right-aligned so that every lane's newest item is at the last step; the first real
   * step of each lane resets the state, which makes the padding before it irrelevant.
   */
  public static SequenceBatch rightAligned(List<int[]> seqs, int backpropSteps) {
    int steps = 1;
    for (int[] s : seqs) {
      steps = Math.max(steps, s.length);
    }
    int lanes = seqs.size();
    SequenceBatch batch = empty(steps, lanes, Math.max(0, steps - backpropSteps));
    for (int lane = 0; lane < lanes; lane++) {
      int[] s = seqs.get(lane);
      int start = steps - s.length;
      for (int i = 0; i < s.length; i++) {
        int p = (start + i) * lanes + lane;
        batch.inputs()[p] = s[i];
        batch.keep()[p] = i == 0 ? 0f : 1f;
      }
    }
    return batch;
  }
}
