package io.recsys.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LstmNetworkOutputScaleTest {
  private static final int CAP = 6;
  private static final int OUT = 4;
  private static final int OUT_BIAS = 5;

  private static LstmNetwork net(double outputScale) {
    LstmNetwork n = new LstmNetwork(CAP, 3, 4, 0.01, outputScale, 0.0, 0.0, 7L);
    for (int r = 0; r < CAP; r++) {
      n.setActive(r, true);
    }
    return n;
  }

  private static SequenceBatch batch() {
    int[] inputs = {1, 2, 3, 4, 0, 5};
    float[] keep = {0, 0, 1, 1, 1, 1};
    int[] targets = {3, 0, 4, 5, 5, 1};
    float[] weights = {1, 1, 1, 1, 1, 1};
    return new SequenceBatch(3, 2, inputs, keep, targets, weights, 0);
  }

  private static float[][] values(LstmNetwork n) {
    ParamTable[] tables = n.tables();
    float[][] values = new float[tables.length][];
    for (int i = 0; i < tables.length; i++) {
      values[i] = tables[i].values().clone();
    }
    return values;
  }

  @Test
  void shouldScaleOnlyTheOutputLayersStep() {
    LstmNetwork plain = net(1.0);
    LstmNetwork scaled = net(3.0);
    float[][] before = values(plain);
    assertThat(values(scaled)).isDeepEqualTo(before);

    plain.trainStep(batch(), null, null, null, 0);
    scaled.trainStep(batch(), null, null, null, 0);
    float[][] plainAfter = values(plain);
    float[][] scaledAfter = values(scaled);

    // Same gradients (the step starts from the same weights), so the embeddings and the LSTM
    // move identically, and Adam's first step on the output rows is exactly three times longer.
    for (int table = 0; table < OUT; table++) {
      assertThat(scaledAfter[table]).isEqualTo(plainAfter[table]);
    }
    for (int table : new int[] {OUT, OUT_BIAS}) {
      boolean moved = false;
      for (int i = 0; i < before[table].length; i++) {
        float plainStep = plainAfter[table][i] - before[table][i];
        float scaledStep = scaledAfter[table][i] - before[table][i];
        assertThat(scaledStep).isCloseTo(3 * plainStep, within(1e-6f));
        moved |= plainStep != 0;
      }
      assertThat(moved).as("table %d moved", table).isTrue();
    }
  }
}
