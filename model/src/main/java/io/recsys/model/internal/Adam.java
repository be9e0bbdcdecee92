package io.recsys.model.internal;

/**
 * Adam with L2 added to the gradient, applied on the Java heap. Sparse tables (embeddings, sampled
 * output rows) are updated only on the rows a batch touched ("lazy Adam"): untouched rows keep
 * their moments, which is what makes a row update cost independent of the catalogue size.
 */
public final class Adam {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private Adam() {}

  /** Step size at update {@code step} (1-based), with Adam's bias correction folded in. */
  static float stepSize(float learningRate, long step) {
    double c1 = 1.0 - Math.pow(BETA1, step);
    double c2 = 1.0 - Math.pow(BETA2, step);
    return (float) (learningRate * Math.sqrt(c2) / c1);
  }

  /** Updates every value of {@code table} from a dense gradient of the same length. */
  static void dense(ParamTable table, float[] grad, float alpha, float l2) {
    update(table, grad, 0, 0, grad.length, alpha, l2);
    table.markAll();
  }

  /**
   * Updates the given rows of {@code table}; {@code gradRows} holds one gradient row per entry of
   * {@code rows}, which must be distinct.
   */
  static void rows(
      ParamTable table, int[] rows, int rowCount, float[] gradRows, float alpha, float l2) {
    int len = table.rowLength();
    for (int r = 0; r < rowCount; r++) {
      update(table, gradRows, r * len, rows[r] * len, len, alpha, l2);
      table.markRow(rows[r]);
    }
  }

  private static void update(
      ParamTable t, float[] grad, int gradOffset, int offset, int length, float alpha, float l2) {
    t.ensureMoments();
    float[] p = t.values;
    float[] m = t.m;
    float[] v = t.v;
    for (int j = 0; j < length; j++) {
      int k = offset + j;
      float g = grad[gradOffset + j] + l2 * p[k];
      float mk = BETA1 * m[k] + (1f - BETA1) * g;
      float vk = BETA2 * v[k] + (1f - BETA2) * g * g;
      m[k] = mk;
      v[k] = vk;
      p[k] -= alpha * mk / ((float) Math.sqrt(vk) + EPSILON);
    }
  }
}
