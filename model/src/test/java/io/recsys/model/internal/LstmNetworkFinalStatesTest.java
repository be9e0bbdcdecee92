package io.recsys.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LstmNetworkFinalStatesTest {
  private static final int CAP = 7;
  private static final int HIDDEN = 5;

  /**
   * Inference keeps only the last step's states; the training forward pass keeps every step. Both
   * must end in the same state, bit for bit, also where a lane starts a new sequence in the middle
   * of the batch (the kept rows then still hold the step before, and must be cleared).
   */
  @Test
  void inferenceEndsInTheStatesTheTrainingForwardPassEndsIn() {
    LstmNetwork net = new LstmNetwork(CAP, 3, HIDDEN, 0.01, 1.0, 0.0, 0.0, 11L);
    for (int r = 0; r < CAP; r++) {
      net.setActive(r, true);
    }
    int steps = 4;
    int lanes = 3;
    // Lane 0 continues h0 throughout; lane 1 restarts at step 2; lane 2 is padded until step 1
    // and starts fresh there, then restarts again at step 3.
    int[] inputs = {1, 2, -1, 3, 4, 5, 6, 0, 2, 1, 3, 4};
    float[] keep = {1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0};
    int[] noTargets = new int[steps * lanes];
    java.util.Arrays.fill(noTargets, -1);
    SequenceBatch batch =
        new SequenceBatch(steps, lanes, inputs, keep, noTargets, new float[steps * lanes], 0);
    SplittableRandom rng = new SplittableRandom(3);
    float[] h0 = new float[lanes * HIDDEN];
    float[] c0 = new float[lanes * HIDDEN];
    for (int i = 0; i < h0.length; i++) {
      h0[i] = (float) rng.nextDouble(-1, 1);
      c0[i] = (float) rng.nextDouble(-1, 1);
    }

    float[][] inference = net.finalStates(batch, h0, c0);
    // With no targets, a train step runs the training forward pass and changes nothing.
    LstmNetwork.StepResult training = net.trainStep(batch, h0, c0, null, 0);

    assertThat(inference[0]).isEqualTo(training.finalH());
    assertThat(inference[1]).isEqualTo(training.finalC());
    assertThat(inference[0]).isNotEqualTo(new float[lanes * HIDDEN]);
    assertThat(net.finalHidden(batch)).isEqualTo(net.finalStates(batch, null, null)[0]);
  }
}
