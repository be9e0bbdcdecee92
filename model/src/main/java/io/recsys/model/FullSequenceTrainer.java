package io.recsys.model;

import io.recsys.model.internal.LstmNetwork;
import io.recsys.model.internal.NegativeSampler;
import io.recsys.model.internal.SequenceBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Offline training on whole user sequences where every position is a target (as GRU4Rec and SASRec
 * train). Sequences run in parallel lanes ("session-parallel" mini-batches, as in GRU4Rec): each
 * lane carries its recurrent state from one window of steps to the next and starts the next
 * sequence when one ends, so no step is padded away and backpropagation is truncated at window
 * boundaries only.
 */
public final class FullSequenceTrainer {
  private final NextItemModel model;
  private final int lanes;
  private final int window;

  /** One pass's figures. */
  public record EpochStats(double meanLoss, long targets, int updates) {}

  /**
   * @param lanes sequences trained in parallel per batch
   * @param window steps per batch: backpropagation is truncated at window boundaries, while the
   *     state carries on
   */
  public FullSequenceTrainer(NextItemModel model, int lanes, int window) {
    if (lanes <= 0) {
      throw new IllegalArgumentException("lanes must be > 0, got " + lanes);
    }
    if (window <= 0) {
      throw new IllegalArgumentException("window must be > 0, got " + window);
    }
    this.model = model;
    this.lanes = lanes;
    this.window = window;
  }

  /**
   * One pass over {@code sequences} (each oldest item first; items must already be in the
   * vocabulary, unknown ones are dropped), in an order shuffled by {@code shuffleSeed}.
   */
  public EpochStats trainEpoch(List<List<String>> sequences, long shuffleSeed) {
    ItemVocabulary vocab = model.vocabulary();
    List<int[]> seqs = new ArrayList<>(sequences.size());
    float[] counts = new float[vocab.capacity()];
    for (List<String> s : sequences) {
      int[] r = vocab.knownRows(s);
      int n = r.length;
      if (n >= 2) {
        seqs.add(r);
        for (int i = 1; i < n; i++) {
          counts[r[i]]++;
        }
      }
    }
    ModelConfig config = model.config();
    NegativeSampler sampler = null;
    if (model.usesSampledLoss()) {
      // The proposal comes from these sequences' targets, not from the vocabulary's counts, so
      // that held-out events never shape training.
      float[] sampling = new float[counts.length];
      for (int j = 0; j < counts.length; j++) {
        sampling[j] = (float) Math.pow(counts[j], config.samplingExponent());
      }
      sampler = NegativeSampler.of(sampling);
    }
    int[] order = new int[seqs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(shuffleSeed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }

    LstmNetwork net = model.network();
    int steps = window;
    int[] laneSeq = new int[lanes];
    int[] lanePos = new int[lanes];
    java.util.Arrays.fill(laneSeq, -1);
    int next = 0;
    float[] h = null;
    float[] c = null;
    double lossSum = 0;
    double weightSum = 0;
    long targets = 0;
    int updates = 0;
    while (true) {
      SequenceBatch batch = SequenceBatch.empty(steps, lanes, 0);
      int real = 0;
      for (int lane = 0; lane < lanes; lane++) {
        for (int t = 0; t < steps; t++) {
          float keep = 1f;
          if (laneSeq[lane] < 0 || lanePos[lane] >= seqs.get(laneSeq[lane]).length - 1) {
            laneSeq[lane] = next < order.length ? order[next++] : -1;
            lanePos[lane] = 0;
            keep = 0f;
          }
          if (laneSeq[lane] < 0) {
            continue;
          }
          int[] s = seqs.get(laneSeq[lane]);
          int p = t * lanes + lane;
          batch.inputs()[p] = s[lanePos[lane]];
          batch.targets()[p] = s[lanePos[lane] + 1];
          batch.weights()[p] = 1f;
          batch.keep()[p] = keep;
          lanePos[lane]++;
          real++;
        }
      }
      if (real == 0) {
        break;
      }
      LstmNetwork.StepResult r = net.trainStep(batch, h, c, sampler, config.negatives());
      h = r.finalH();
      c = r.finalC();
      lossSum += r.lossSum();
      weightSum += r.weightSum();
      targets += real;
      updates++;
    }
    return new EpochStats(weightSum > 0 ? lossSum / weightSum : 0, targets, updates);
  }
}
