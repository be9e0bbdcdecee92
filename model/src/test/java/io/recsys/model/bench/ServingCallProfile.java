package io.recsys.model.bench;

import io.recsys.model.internal.LstmNetwork;
import io.recsys.model.internal.SequenceBatch;
import java.util.SplittableRandom;

/**
 * Times one serving call's two halves, the LSTM (one step, as for a carried state, and a 20-item
 * re-read) and the scores of every item, at 1, 10 and 64 users per call. Arguments: [ITEMS]
 * (default 3,706, ML-1M's catalogue). A documented harness, not a test.
 */
public final class ServingCallProfile {
  private ServingCallProfile() {}

  public static void main(String[] args) {
    int items = args.length > 0 ? Integer.parseInt(args[0]) : 3706;
    LstmNetwork net = new LstmNetwork(items, 64, 128, 0.001, 1, 0, 0.25, 1);
    for (int r = 0; r < items; r++) {
      net.setActive(r, true);
    }
    SplittableRandom rng = new SplittableRandom(1);
    for (int round = 0; round < 2; round++) { // the first round warms the JIT up
      for (int lanes : new int[] {1, 10, 64}) {
        for (int steps : new int[] {1, 20}) {
          SequenceBatch batch = SequenceBatch.empty(steps, lanes, steps - 1);
          for (int p = 0; p < steps * lanes; p++) {
            batch.inputs()[p] = rng.nextInt(items);
            batch.keep()[p] = p < lanes ? 0f : 1f;
          }
          int iterations = 2000 / lanes + 20;
          float[] hidden = net.finalHidden(batch);
          long t0 = System.nanoTime();
          for (int i = 0; i < iterations; i++) {
            hidden = net.finalHidden(batch);
          }
          double lstmMicros = (System.nanoTime() - t0) / 1e3 / iterations;
          long t1 = System.nanoTime();
          for (int i = 0; i < iterations; i++) {
            net.scores(hidden, lanes);
          }
          double scoreMicros = (System.nanoTime() - t1) / 1e3 / iterations;
          if (round == 1) {
            System.out.printf(
                "users/call %3d, LSTM steps %2d: LSTM %8.1f us/call, scores %8.1f us/call%n",
                lanes, steps, lstmMicros, scoreMicros);
          }
        }
      }
    }
  }
}
