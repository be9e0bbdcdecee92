package io.recsys.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LstmNetworkGradientTest {
  private static final int CAP = 7;

  private static LstmNetwork net() {
    LstmNetwork n = new LstmNetwork(CAP, 3, 4, 0.01, 1.0, 0.0, 0.0, 7L);
    for (int r = 0; r < CAP; r++) {
      n.setActive(r, r != 5); // one free row: must get no probability mass
    }
    return n;
  }

  private static SequenceBatch batch(int gradientFrom) {
    // 2 lanes x 4 steps; lane 1 restarts at step 2 (keep = 0), one padded step.
    int[] inputs = {1, 2, 3, 0, -1, 4, 6, 2};
    float[] keep = {0, 0, 1, 1, 1, 0, 1, 1};
    int[] targets = {3, 0, 0, -1, 4, 6, 2, 1};
    float[] weights = {1, 1, 0.5f, 0, 1, 1, 2, 1};
    return new SequenceBatch(4, 2, inputs, keep, targets, weights, gradientFrom);
  }

  @Test
  void shouldMatchNumericGradientsWithFullBackprop() {
    check(0);
  }

  @Test
  void shouldMatchNumericGradientsWithTruncatedBackprop() {
    // With truncation the analytic gradient is the truncated one, so only the output layer and
    // the last step's parameters can be checked against the full numeric gradient; the embedding
    // rows that only appear after the cut are exact.
    LstmNetwork a = net();
    a.captured = new ArrayList<>();
    a.trainStep(batch(3), null, null, null, 0);
    LstmNetwork b = net();
    float[] dOut = a.captured.get(3);
    assertClose(numeric(b, b.tables()[4], batch(3)), dOut);
  }

  private void check(int gradientFrom) {
    LstmNetwork a = net();
    a.captured = new ArrayList<>();
    a.trainStep(batch(gradientFrom), null, null, null, 0);
    List<float[]> g = a.captured;
    LstmNetwork b = net();
    ParamTable[] t = b.tables();
    assertClose(numeric(b, t[1], batch(gradientFrom)), g.get(0));
    assertClose(numeric(b, t[2], batch(gradientFrom)), g.get(1));
    assertClose(numeric(b, t[3], batch(gradientFrom)), g.get(2));
    assertClose(numeric(b, t[4], batch(gradientFrom)), g.get(3));
    assertClose(numeric(b, t[5], batch(gradientFrom)), g.get(4));
    // Embedding: sum the per-position dX into rows and compare.
    float[] dX = g.get(5);
    float[] dEmb = new float[CAP * 3];
    SequenceBatch sb = batch(gradientFrom);
    for (int p = 0; p < sb.inputs().length; p++) {
      if (sb.inputs()[p] >= 0) {
        for (int j = 0; j < 3; j++) {
          dEmb[sb.inputs()[p] * 3 + j] += dX[p * 3 + j];
        }
      }
    }
    assertClose(numeric(b, t[0], batch(gradientFrom)), dEmb);
  }

  private static float[] numeric(LstmNetwork n, ParamTable table, SequenceBatch batch) {
    float[] v = table.values;
    float[] grad = new float[v.length];
    float eps = 1e-2f;
    for (int i = 0; i < v.length; i++) {
      float old = v[i];
      v[i] = old + eps;
      n.invalidate();
      double up = n.loss(batch);
      v[i] = old - eps;
      n.invalidate();
      double down = n.loss(batch);
      v[i] = old;
      n.invalidate();
      grad[i] = (float) ((up - down) / (2 * eps));
    }
    return grad;
  }

  private static void assertClose(float[] expected, float[] actual) {
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("gradient %d", i)
          .isCloseTo(
              expected[i],
              org.assertj.core.api.Assertions.within(2e-3 + 0.02 * Math.abs(expected[i])));
    }
  }
}
