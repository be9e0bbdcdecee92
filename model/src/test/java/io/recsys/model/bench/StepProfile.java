package io.recsys.model.bench;

import io.recsys.model.internal.LstmNetwork;
import io.recsys.model.internal.SequenceBatch;
import java.util.SplittableRandom;

/** Times one full-softmax train step: args V lanes steps [iterations]. */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) {
    int v = Integer.parseInt(args[0]);
    int lanes = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    int iters = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    LstmNetwork net = new LstmNetwork(v, 64, 128, 0.001, 1, 0, 0.25, 1);
    for (int r = 0; r < v; r++) {
      net.setActive(r, true);
    }
    SplittableRandom rng = new SplittableRandom(1);
    SequenceBatch b = SequenceBatch.empty(steps, lanes, 0);
    for (int p = 0; p < steps * lanes; p++) {
      b.inputs()[p] = rng.nextInt(v);
      b.targets()[p] = rng.nextInt(v);
      b.weights()[p] = 1;
      b.keep()[p] = 1;
    }
    for (int i = 0; i < 3; i++) {
      net.trainStep(b, null, null, null, 0);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < iters; i++) {
      net.trainStep(b, null, null, null, 0);
    }
    double s = (System.nanoTime() - t0) / 1e9 / iters;
    System.out.printf(
        "V=%d lanes=%d steps=%d: %.1f ms/step, %.0f targets/s%n",
        v, lanes, steps, s * 1000, lanes * steps / s);
  }
}
