package io.recsys.model.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Item embedding -> one LSTM layer -> item scores, with hand-written backpropagation.
 *
 * <p>Why not a DL4J {@code MultiLayerNetwork}: the stream needs (a) backpropagation truncated to
 * the newest steps while older steps only build the state, (b) a sampled softmax whose gradient
 * touches only the sampled rows, (c) lazy Adam on embedding rows so that an update costs O(batch)
 * rather than O(catalogue), and (d) tables that grow by whole chunks without a rebuild. DL4J M2.1
 * offers none of these cheaply (see shared/NOTES-dl4j.md). ND4J still does every matrix product, so
 * the heavy work runs in the backend's BLAS on CPU or GPU alike.
 *
 * <p>The forward pass reads as three stages: {@link #embed}, {@link #recur} and the scoring in
 * {@link #trainStep} / {@link #scores}. Gates are laid out {@code [input | forget | output |
 * cell]}; with the cell quarter's pre-activation doubled, one sigmoid over all four gives tanh too.
 * Parameters live in {@link ParamTable}s on the Java heap; their ND4J copies are cached until the
 * next update. Not thread-safe.
 */
// "try": workspace scopes are opened for their side effect, the body never names them.
@SuppressWarnings("try")
public final class LstmNetwork {
  private static final float MASKED_LOGIT = -1e9f;

  private final int d;
  private final int h;
  private float learningRate;

  /** The output weights' and biases' step as a multiple of {@link #learningRate}. */
  private final float outputScale;

  private final float l2;
  private final float dropout;
  private final long seed;
  private final ParamTable emb;
  private final ParamTable w;
  private final ParamTable u;
  private final ParamTable b;
  private final ParamTable out;
  private final ParamTable outBias;
  private float[] logitMask;
  private long step;
  private long changes;

  /** Test hook: when non-null, train steps append their gradients (dW, dU, db, dOut, dBias, dX). */
  java.util.List<float[]> captured;

  private INDArray cachedOut;
  private INDArray cachedBias;

  public LstmNetwork(
      int capacity,
      int embeddingSize,
      int hiddenSize,
      double learningRate,
      double outputLearningRateScale,
      double l2,
      double dropout,
      long seed) {
    this.d = embeddingSize;
    this.h = hiddenSize;
    this.learningRate = (float) learningRate;
    this.outputScale = (float) outputLearningRateScale;
    this.l2 = (float) l2;
    this.dropout = (float) dropout;
    this.seed = seed;
    this.emb = new ParamTable(capacity, d);
    this.w = new ParamTable(d, 4 * h);
    this.u = new ParamTable(h, 4 * h);
    this.b = new ParamTable(1, 4 * h);
    this.out = new ParamTable(capacity, h);
    this.outBias = new ParamTable(capacity, 1);
    this.logitMask = new float[capacity];
    Arrays.fill(logitMask, MASKED_LOGIT);
    SplittableRandom rng = new SplittableRandom(seed);
    glorot(w.values, d, 4 * h, rng);
    glorot(u.values, h, 4 * h, rng);
    // Forget-gate bias 1: the usual start that lets the state carry over early in training.
    Arrays.fill(b.values, h, 2 * h, 1f);
    for (int row = 0; row < capacity; row++) {
      initRow(row);
    }
  }

  private static void glorot(float[] a, int fanIn, int fanOut, SplittableRandom rng) {
    double limit = Math.sqrt(6.0 / (fanIn + fanOut));
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
    }
  }

  public int capacity() {
    return emb.rows();
  }

  public int embeddingSize() {
    return d;
  }

  public int hiddenSize() {
    return h;
  }

  public float learningRate() {
    return learningRate;
  }

  /** Changes the Adam step size from the next update on (schedules, plateau decay). */
  public void setLearningRate(float rate) {
    if (!(rate > 0f) || !Float.isFinite(rate)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + rate);
    }
    this.learningRate = rate;
  }

  public long step() {
    return step;
  }

  /**
   * Counts the changes to the tables: anything derived from the weights is still valid while this
   * returns what it returned when it was derived.
   */
  public long changes() {
    return changes;
  }

  /** The tables in a fixed order, for checkpoints: emb, w, u, b, out, outBias. */
  public ParamTable[] tables() {
    return new ParamTable[] {emb, w, u, b, out, outBias};
  }

  /**
   * Whether the table at {@code index} in {@link #tables()} has a row per item (the embeddings, the
   * output weights and biases), which grows with the vocabulary.
   */
  public static boolean isItemTable(int index) {
    return index == EMBEDDING_TABLE || index == OUTPUT_TABLE || index == BIAS_TABLE;
  }

  /** Index of the item embeddings in {@link #tables()}. */
  public static final int EMBEDDING_TABLE = 0;

  /** Index of the output weights in {@link #tables()}. */
  public static final int OUTPUT_TABLE = 4;

  /** Index of the output biases in {@link #tables()}. */
  public static final int BIAS_TABLE = 5;

  /** A deep copy of every parameter and moment, e.g. the best epoch for early stopping. */
  public float[][] snapshot() {
    ParamTable[] t = tables();
    float[][] s = new float[t.length * 3][];
    for (int i = 0; i < t.length; i++) {
      s[3 * i] = t[i].values().clone();
      s[3 * i + 1] = t[i].firstMoment().clone();
      s[3 * i + 2] = t[i].secondMoment().clone();
    }
    return s;
  }

  /**
   * The element-wise mean of the parameters of {@link #snapshot()}s taken at one capacity, with the
   * last one's Adam moments: averaged weights that training can go on from.
   */
  public static float[][] meanOf(java.util.List<float[][]> snapshots) {
    if (snapshots.isEmpty()) {
      throw new IllegalArgumentException("no snapshots to average");
    }
    float[][] last = snapshots.get(snapshots.size() - 1);
    float[][] mean = new float[last.length][];
    for (int i = 0; i < last.length; i += 3) {
      float[] sum = new float[last[i].length];
      for (float[][] s : snapshots) {
        float[] values = s[i];
        if (values.length != sum.length) {
          throw new IllegalArgumentException("snapshots of different capacities");
        }
        for (int k = 0; k < sum.length; k++) {
          sum[k] += values[k];
        }
      }
      float n = snapshots.size();
      for (int k = 0; k < sum.length; k++) {
        sum[k] /= n;
      }
      mean[i] = sum;
      mean[i + 1] = last[i + 1];
      mean[i + 2] = last[i + 2];
    }
    return mean;
  }

  /** Puts back a {@link #snapshot()} taken at the same capacity. */
  public void restoreSnapshot(float[][] s) {
    ParamTable[] t = tables();
    for (int i = 0; i < t.length; i++) {
      t[i].restore(s[3 * i].clone(), s[3 * i + 1].clone(), s[3 * i + 2].clone());
    }
    invalidate();
  }

  public float[] logitMask() {
    return logitMask;
  }

  /** Restores the update counter and active rows from a checkpoint. */
  public void restoreState(long restoredStep, float[] restoredMask) {
    if (restoredMask.length != capacity()) {
      throw new IllegalArgumentException(
          "mask has " + restoredMask.length + " rows, capacity is " + capacity());
    }
    this.step = restoredStep;
    this.logitMask = restoredMask.clone();
    invalidate();
  }

  /**
   * A copy of the parameter values with {@code newCapacity} item rows (at least the current
   * capacity), for a serving instance that applies a model delta while the original keeps serving.
   * Adam moments start at zero; rows beyond the current capacity are zero and masked until {@link
   * #setRows} and {@link #setActive} fill them.
   */
  public LstmNetwork valuesCopy(int newCapacity) {
    if (newCapacity < capacity()) {
      throw new IllegalArgumentException(
          "cannot shrink from " + capacity() + " to " + newCapacity + " item rows");
    }
    LstmNetwork copy = new LstmNetwork(0, d, h, learningRate, outputScale, l2, dropout, seed);
    ParamTable[] from = tables();
    ParamTable[] to = copy.tables();
    for (int i = 0; i < from.length; i++) {
      to[i].dropMoments();
      if (to[i].rows() == 0) {
        to[i].grow(newCapacity);
      }
      System.arraycopy(from[i].values, 0, to[i].values, 0, from[i].values.length);
    }
    copy.logitMask = Arrays.copyOf(logitMask, newCapacity);
    Arrays.fill(copy.logitMask, capacity(), newCapacity, MASKED_LOGIT);
    copy.step = step;
    return copy;
  }

  /**
   * Overwrites whole rows of the table at {@code table} (in {@link #tables()} order) with {@code
   * values}, one row after the other.
   */
  public void setRows(int table, int[] rows, float[] values) {
    ParamTable t = tables()[table];
    int len = t.rowLength();
    if (values.length != rows.length * len) {
      throw new IllegalArgumentException(
          rows.length
              + " rows of "
              + len
              + " need "
              + rows.length * len
              + " values, got "
              + values.length);
    }
    for (int r = 0; r < rows.length; r++) {
      if (rows[r] < 0 || rows[r] >= t.rows()) {
        throw new IllegalArgumentException(
            "row " + rows[r] + " is outside table " + table + " (" + t.rows() + " rows)");
      }
      System.arraycopy(values, r * len, t.values, rows[r] * len, len);
      t.markRow(rows[r]);
    }
    invalidate();
  }

  /**
   * Overwrites {@code count} consecutive rows of the table at {@code table} (in {@link #tables()}
   * order), from {@code firstRow} on, with the first {@code count} rows of {@code values}. Unlike
   * {@link #setRows} it leaves what was derived from the tables (the scoring matrices) as it is
   * until {@link #invalidate()}: a snapshot copied into a served model slice by slice would
   * otherwise rebuild them between slices.
   */
  public void copyRows(int table, int firstRow, float[] values, int count) {
    ParamTable t = tables()[table];
    int len = t.rowLength();
    if (firstRow < 0 || count < 0 || firstRow + count > t.rows() || values.length < count * len) {
      throw new IllegalArgumentException(
          "rows "
              + firstRow
              + " to "
              + (firstRow + count)
              + " of table "
              + table
              + " ("
              + t.rows()
              + " rows) from "
              + values.length
              + " values");
    }
    System.arraycopy(values, 0, t.values, firstRow * len, count * len);
    for (int row = firstRow; row < firstRow + count; row++) {
      t.markRow(row);
    }
  }

  /** Sets the update counter (a serving copy takes it from the version it follows). */
  public void setStep(long newStep) {
    this.step = newStep;
  }

  /**
   * Tables changed (a train step, rows set or re-initialised, growth, a checkpoint or snapshot
   * restore): drops what was derived from them.
   */
  public void invalidate() {
    changes++;
    cachedOut = null;
    cachedBias = null;
    cachedRecurrent = null;
  }

  /**
   * Re-initialises a row's embedding and output weights, deterministically from the seed and the
   * row, and zeroes its Adam moments: a reused row must not inherit its previous item.
   */
  public void initRow(int row) {
    SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (row + 1)));
    float[] e = emb.values;
    for (int j = 0; j < d; j++) {
      e[row * d + j] = (float) (rng.nextGaussian() * 0.05);
    }
    float[] o = out.values;
    for (int j = 0; j < h; j++) {
      o[row * h + j] = (float) (rng.nextGaussian() * 0.05);
    }
    outBias.values[row] = 0f;
    emb.markRow(row);
    out.markRow(row);
    outBias.markRow(row);
    emb.resetMoments(row);
    out.resetMoments(row);
    outBias.resetMoments(row);
    invalidate();
  }

  /** Marks a row as a rankable item (active) or a free slot that never gets probability mass. */
  public void setActive(int row, boolean active) {
    logitMask[row] = active ? 0f : MASKED_LOGIT;
    cachedBias = null;
  }

  /** Row {@code row}'s logit for one hidden state: its output row times the state plus its bias. */
  public float logit(int row, float[] hidden) {
    float[] weights = out.values;
    int base = row * h;
    float sum = outBias.values[row];
    for (int j = 0; j < h; j++) {
      sum += weights[base + j] * hidden[j];
    }
    return sum;
  }

  public boolean isActive(int row) {
    return logitMask[row] == 0f;
  }

  /**
   * Adds item rows up to {@code newCapacity} as zeros, masked: how a serving copy grows, so that
   * its new rows equal what the trainer's published weights assume until a delta sets them.
   */
  public void growZeroed(int newCapacity) {
    int old = capacity();
    if (newCapacity <= old) {
      return;
    }
    emb.grow(newCapacity);
    out.grow(newCapacity);
    outBias.grow(newCapacity);
    logitMask = Arrays.copyOf(logitMask, newCapacity);
    Arrays.fill(logitMask, old, newCapacity, MASKED_LOGIT);
    invalidate();
  }

  /** Adds rows up to {@code newCapacity}; existing rows and their Adam state are copied exactly. */
  public void grow(int newCapacity) {
    int old = capacity();
    if (newCapacity <= old) {
      return;
    }
    growZeroed(newCapacity);
    for (int row = old; row < newCapacity; row++) {
      initRow(row);
    }
    invalidate();
  }

  /** Result of one updater step: summed weighted loss, summed weight, final recurrent state. */
  public record StepResult(double lossSum, double weightSum, float[] finalH, float[] finalC) {}

  /**
   * One Adam step on a batch. {@code h0}/{@code c0} (nullable: zeros) are the lanes' states before
   * step 0. With {@code sampler} null the loss is the full softmax; otherwise it is a sampled
   * softmax over the batch's targets and {@code negatives} rows drawn by {@code sampler}, with the
   * logQ correction: then nothing in the step grows with the catalogue.
   */
  public StepResult trainStep(
      SequenceBatch batch, float[] h0, float[] c0, NegativeSampler sampler, int negatives) {
    try (MemoryWorkspace ws = workspace()) {
      return trainStepInWorkspace(batch, h0, c0, sampler, negatives);
    }
  }

  private StepResult trainStepInWorkspace(
      SequenceBatch batch, float[] h0, float[] c0, NegativeSampler sampler, int negatives) {
    int lanes = batch.lanes();
    int n = batch.steps() * lanes;
    int g0 = batch.gradientFrom();
    int count = 0;
    for (int p = g0 * lanes; p < n; p++) {
      if (batch.targets()[p] >= 0 && batch.weights()[p] > 0f) {
        count++;
      }
    }
    if (count == 0) {
      Forward f = forward(batch, h0, c0, null);
      return new StepResult(0, 0, finalRows(f.hs, batch), finalRows(f.cs, batch));
    }
    step++;
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
    float[] xMask = dropout > 0f ? dropoutMask(rng, n * d) : null;
    Forward f = forward(batch, h0, c0, xMask);

    int[] pos = new int[count];
    int[] labels = new int[count];
    float[] wts = new float[count];
    double weightSum = 0;
    int k = 0;
    for (int p = g0 * lanes; p < n; p++) {
      if (batch.targets()[p] >= 0 && batch.weights()[p] > 0f) {
        pos[k] = p;
        labels[k] = batch.targets()[p];
        wts[k] = batch.weights()[p];
        weightSum += wts[k];
        k++;
      }
    }
    INDArray hsel = matrix(gatherRows(f.hs, h, pos), count, h);
    INDArray hMask = null;
    if (dropout > 0f) {
      hMask = matrix(dropoutMask(rng, count * h), count, h);
      hsel.muli(hMask);
    }

    int[] cand = null;
    INDArray outM;
    INDArray biasRow;
    int[] candLabels = labels;
    if (sampler == null) {
      outM = outMatrix();
      biasRow = biasRow();
    } else {
      NegativeSampler.Candidates c = sampler.sample(labels, negatives, rng);
      cand = c.rows();
      candLabels = c.labels();
      outM = matrix(gatherRows(out.values, h, cand), cand.length, h);
      float[] bias = new float[cand.length];
      for (int j = 0; j < cand.length; j++) {
        bias[j] =
            outBias.values[cand[j]] + logitMask[cand[j]] - (float) Math.log(c.probability()[j]);
      }
      biasRow = matrix(bias, 1, cand.length);
    }

    INDArray probs = mm(hsel, outM, false, true).addiRowVector(biasRow);
    softmaxRows(probs);
    double lossSum = 0;
    float[] scale = new float[count];
    for (int r = 0; r < count; r++) {
      float p = probs.getFloat(r, candLabels[r]);
      lossSum -= wts[r] * Math.log(Math.max(p, 1e-30f));
      probs.putScalar(r, candLabels[r], p - 1f);
      scale[r] = (float) (wts[r] / weightSum);
    }
    probs.muliColumnVector(matrix(scale, count, 1));
    INDArray dOut = mm(probs, hsel, true, false);
    // Column sums as a product with a row of ones: ND4J's sum along dimension 0 reduces with a
    // stride, and took 6% of the trainer's CPU at 3,706 items; the product takes a fraction.
    INDArray dBias = mm(Nd4j.ones(DataType.FLOAT, 1, count), probs, false, false);
    INDArray dH = mm(probs, outM, false, false);
    if (hMask != null) {
      dH.muli(hMask);
    }
    float[] dHsel = floats(dH);
    float[] dHs = new float[n * h]; // only rows with a target are non-zero
    for (int r = 0; r < count; r++) {
      System.arraycopy(dHsel, r * h, dHs, pos[r] * h, h);
    }
    Gradients g = backward(f, batch, dHs, xMask);

    if (captured != null) {
      captured.add(g.dW);
      captured.add(g.dU);
      captured.add(g.db);
      captured.add(floats(dOut));
      captured.add(floats(dBias));
      captured.add(g.dX);
    }
    float alpha = Adam.stepSize(learningRate, step);
    Adam.dense(w, g.dW, alpha, l2);
    Adam.dense(u, g.dU, alpha, l2);
    Adam.dense(b, g.db, alpha, 0f);
    float outputAlpha = alpha * outputScale;
    if (cand == null) {
      Adam.dense(out, floats(dOut), outputAlpha, l2);
      Adam.dense(outBias, floats(dBias), outputAlpha, 0f);
    } else {
      Adam.rows(out, cand, cand.length, floats(dOut), outputAlpha, l2);
      Adam.rows(outBias, cand, cand.length, floats(dBias), outputAlpha, 0f);
    }
    applyEmbeddingGradient(batch, g.dX, alpha);
    invalidate();
    return new StepResult(lossSum, weightSum, finalRows(f.hs, batch), finalRows(f.cs, batch));
  }

  /** Mean full-softmax loss of a batch without dropout or update: for gradient checks. */
  double loss(SequenceBatch batch) {
    Forward f = forward(batch, null, null, null);
    double sum = 0;
    double wsum = 0;
    float[] sc = scoresNoWorkspace(f.hs, batch.inputs().length);
    int cap = capacity();
    for (int p = batch.gradientFrom() * batch.lanes(); p < batch.inputs().length; p++) {
      if (batch.targets()[p] < 0 || batch.weights()[p] <= 0f) {
        continue;
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cap; j++) {
        max = Math.max(max, sc[p * cap + j]);
      }
      double z = 0;
      for (int j = 0; j < cap; j++) {
        z += Math.exp(sc[p * cap + j] - max);
      }
      sum += batch.weights()[p] * (Math.log(z) + max - sc[p * cap + batch.targets()[p]]);
      wsum += batch.weights()[p];
    }
    return sum / wsum;
  }

  /** The hidden state of every lane after the batch's last step, without dropout. */
  public float[] finalHidden(SequenceBatch batch) {
    return finalStates(batch, null, null)[0];
  }

  /**
   * Hidden and cell state ({@code [2][lanes * hidden]}) of every lane after the batch's last step,
   * without dropout, starting from {@code h0} / {@code c0} ({@code [lanes * hidden]}, null for
   * zeros) where the first step keeps the state.
   */
  public float[][] finalStates(SequenceBatch batch, float[] h0, float[] c0) {
    try (MemoryWorkspace ws = workspace()) {
      Forward f = forward(batch, h0, c0, null, false);
      return new float[][] {f.hs, f.cs};
    }
  }

  /**
   * Scores of every row for each of {@code lanes} hidden states: {@code [lanes * capacity]}, free
   * rows scored {@link #MASKED_LOGIT}.
   */
  public float[] scores(float[] hidden, int lanes) {
    try (MemoryWorkspace ws = workspace()) {
      return scoresNoWorkspace(hidden, lanes);
    }
  }

  /**
   * Logits of the item rows {@code rows} for each of {@code lanes} hidden states, {@code [lane *
   * rows.length + i]}: one matrix product over just those rows, for the items a candidate index
   * does not cover.
   */
  public float[] scoresOf(float[] hidden, int lanes, int[] rows) {
    if (rows.length == 0) {
      return new float[0];
    }
    try (MemoryWorkspace ws = workspace()) {
      float[] bias = new float[rows.length];
      for (int i = 0; i < rows.length; i++) {
        bias[i] = outBias.values[rows[i]];
      }
      INDArray weights = matrix(gatherRows(out.values, h, rows), rows.length, h);
      return floats(
          mm(matrix(hidden, lanes, h), weights, false, true)
              .addiRowVector(matrix(bias, 1, rows.length)));
    }
  }

  private float[] scoresNoWorkspace(float[] hidden, int lanes) {
    INDArray hA = matrix(hidden, lanes, h);
    return floats(mm(hA, outMatrix(), false, true).addiRowVector(biasRow()));
  }

  /**
   * Every array of a step lives in one workspace that is reused from call to call. Fresh off-heap
   * allocations cost page faults that, on the 2-core VM, took longer than the products themselves
   * (measured: 150 ms to allocate one 38 MB logits matrix, 20 ms in the workspace).
   */
  private static final WorkspaceConfiguration WORKSPACE =
      WorkspaceConfiguration.builder()
          .initialSize(0)
          .policyAllocation(AllocationPolicy.OVERALLOCATE)
          .overallocationLimit(0.3)
          .policyLearning(LearningPolicy.OVER_TIME)
          .cyclesBeforeInitialization(2)
          .policyReset(ResetPolicy.BLOCK_LEFT)
          .policySpill(SpillPolicy.REALLOCATE)
          .build();

  private static MemoryWorkspace workspace() {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(WORKSPACE, "recsys-lstm");
  }

  // ---- stage 1: embed ----

  private INDArray embed(SequenceBatch batch, float[] xMask) {
    int n = batch.inputs().length;
    float[] xs = new float[n * d];
    float[] e = emb.values;
    for (int p = 0; p < n; p++) {
      int row = batch.inputs()[p];
      if (row >= 0) {
        System.arraycopy(e, row * d, xs, p * d, d);
      }
    }
    if (xMask != null) {
      for (int i = 0; i < xs.length; i++) {
        xs[i] *= xMask[i];
      }
    }
    return matrix(xs, n, d);
  }

  // ---- stage 2: step the recurrent state ----

  /** What the backward pass needs from the forward pass; state arrays are {@code [n, h]}. */
  private static final class Forward {
    INDArray x;
    INDArray wM;
    INDArray uM;
    float[] gates; // [n, 4h], after the nonlinearities
    float[] hs;
    float[] cs;
    float[] tcs; // tanh(c)
    float[] hp; // state entering each step, after the keep mask
    float[] cp;
  }

  private Forward forward(SequenceBatch batch, float[] h0, float[] c0, float[] xMask) {
    return forward(batch, h0, c0, xMask, true);
  }

  /**
   * With {@code keepSteps} false the state arrays hold only the last step ({@code [lanes, h]}):
   * enough for inference, which needs no backward pass. A serving re-read of 20 items otherwise
   * allocates 20 steps of gates and states on the heap for one final state.
   */
  private Forward forward(
      SequenceBatch batch, float[] h0, float[] c0, float[] xMask, boolean keepSteps) {
    Forward f = new Forward();
    f.x = embed(batch, xMask);
    recur(f, batch, h0, c0, keepSteps);
    return f;
  }

  /**
   * Steps the LSTM over the batch. The input projection of all steps is one gemm; per step, the
   * recurrent product is one gemm and the gate arithmetic is plain Java: as separate ND4J ops it
   * was a dozen native calls per step, whose fixed cost dominated at streaming batch sizes.
   */
  private void recur(Forward f, SequenceBatch batch, float[] h0, float[] c0, boolean keepSteps) {
    int steps = batch.steps();
    int lanes = batch.lanes();
    int n = keepSteps ? steps * lanes : lanes;
    int g4 = 4 * h;
    RecurrentWeights rw = recurrentWeights();
    f.wM = rw.w;
    f.uM = rw.u;
    INDArray wDoubled = rw.wDoubled;
    INDArray uDoubled = rw.uDoubled;
    INDArray bDoubled = rw.bDoubled;
    INDArray gatesNd = mm(f.x, wDoubled, false, false).addiRowVector(bDoubled);
    java.nio.FloatBuffer gatesBuf = gatesNd.data().asNioFloat();
    float[] gates = new float[n * g4];
    float[] hs = new float[n * h];
    float[] cs = new float[n * h];
    float[] tcs = new float[n * h];
    float[] hp = new float[n * h];
    float[] cp = new float[n * h];
    float[] keep = batch.keep();
    INDArray hpNd = Nd4j.create(DataType.FLOAT, lanes, h);
    java.nio.FloatBuffer hpBuf = hpNd.data().asNioFloat();
    for (int t = 0; t < steps; t++) {
      int base = t * lanes;
      // Where this step's rows go in the state arrays: its own rows, or the only ones.
      int at = keepSteps ? base : 0;
      boolean anyState = false;
      for (int lane = 0; lane < lanes; lane++) {
        float k = keep[base + lane];
        int dst = (at + lane) * h;
        float[] srcH;
        float[] srcC;
        int src;
        if (t == 0) {
          srcH = h0;
          srcC = c0;
          src = lane * h;
        } else {
          srcH = hs;
          srcC = cs;
          src = ((keepSteps ? base - lanes : 0) + lane) * h;
        }
        if (k == 0f || srcH == null) {
          if (!keepSteps && t > 0) {
            // The rows still hold the step before: this lane starts from zero.
            Arrays.fill(hp, dst, dst + h, 0f);
            Arrays.fill(cp, dst, dst + h, 0f);
          }
          continue; // hp, cp are zero
        }
        anyState = true;
        for (int j = 0; j < h; j++) {
          hp[dst + j] = srcH[src + j] * k;
          cp[dst + j] = srcC[src + j] * k;
        }
      }
      INDArray z =
          gatesNd.get(NDArrayIndex.interval((long) base, (long) base + lanes), NDArrayIndex.all());
      if (anyState) {
        hpBuf.clear();
        hpBuf.put(hp, at * h, lanes * h);
        Nd4j.gemm(hpNd, uDoubled, z, false, false, 1.0, 1.0);
      }
      Transforms.sigmoid(z, false);
      gatesBuf.clear();
      gatesBuf.position(base * g4);
      gatesBuf.get(gates, at * g4, lanes * g4);
      for (int lane = 0; lane < lanes; lane++) {
        int p = at + lane;
        int go = p * g4;
        int ho = p * h;
        for (int j = 0; j < h; j++) {
          float ig = gates[go + j];
          float og = gates[go + 2 * h + j];
          float gg = 2f * gates[go + 3 * h + j] - 1f;
          gates[go + 3 * h + j] = gg;
          float c = gates[go + h + j] * cp[ho + j] + ig * gg;
          float tc = tanh(c);
          cs[ho + j] = c;
          tcs[ho + j] = tc;
          hs[ho + j] = og * tc;
        }
      }
    }
    f.gates = gates;
    f.hs = hs;
    f.cs = cs;
    f.tcs = tcs;
    f.hp = hp;
    f.cp = cp;
  }

  /**
   * ND4J copies of the LSTM weights, made once per update rather than per call (at batch 1 the
   * copies cost more than the step). The cell-input columns of the doubled copies are scaled by 2
   * so that one sigmoid over all four gates also yields tanh(z) = 2 sigmoid(2z) - 1: one vectorised
   * native op per step instead of Java exp calls.
   */
  private record RecurrentWeights(
      INDArray w, INDArray u, INDArray wDoubled, INDArray uDoubled, INDArray bDoubled) {}

  private RecurrentWeights cachedRecurrent;

  private RecurrentWeights recurrentWeights() {
    if (cachedRecurrent == null) {
      int g4 = 4 * h;
      try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        cachedRecurrent =
            new RecurrentWeights(
                matrix(w.values, d, g4),
                matrix(u.values, h, g4),
                matrix(doubleCellColumns(w.values, d), d, g4),
                matrix(doubleCellColumns(u.values, h), h, g4),
                matrix(doubleCellColumns(b.values, 1), 1, g4));
      }
    }
    return cachedRecurrent;
  }

  /** A copy of a {@code [rows, 4h]} gate matrix with the cell-input quarter doubled. */
  private float[] doubleCellColumns(float[] m, int rowsN) {
    float[] c = m.clone();
    int g4 = 4 * h;
    for (int r = 0; r < rowsN; r++) {
      int off = r * g4 + 3 * h;
      for (int j = 0; j < h; j++) {
        c[off + j] *= 2f;
      }
    }
    return c;
  }

  private static float tanh(float x) {
    // 2 sigmoid(2x) - 1, in double: as accurate as Math.tanh for floats, and faster.
    return (float) (2.0 / (1.0 + Math.exp(-2.0 * x)) - 1.0);
  }

  private record Gradients(float[] dW, float[] dU, float[] db, float[] dX) {}

  private Gradients backward(Forward f, SequenceBatch batch, float[] dHs, float[] xMask) {
    int steps = batch.steps();
    int lanes = batch.lanes();
    int n = steps * lanes;
    int g0 = batch.gradientFrom();
    int r0 = g0 * lanes;
    int g4 = 4 * h;
    float[] gates = f.gates;
    float[] tcs = f.tcs;
    float[] cp = f.cp;
    float[] keep = batch.keep();
    float[] dZ = new float[(n - r0) * g4];
    float[] dhNext = new float[lanes * h];
    float[] dcNext = new float[lanes * h];
    float[] dhRec = new float[lanes * h];
    INDArray dzNd = Nd4j.create(DataType.FLOAT, lanes, g4);
    INDArray dhNd = Nd4j.create(DataType.FLOAT, lanes, h);
    java.nio.FloatBuffer dzBuf = dzNd.data().asNioFloat();
    java.nio.FloatBuffer dhBuf = dhNd.data().asNioFloat();
    for (int t = steps - 1; t >= g0; t--) {
      int base = t * lanes;
      for (int lane = 0; lane < lanes; lane++) {
        int p = base + lane;
        int go = p * g4;
        int ho = p * h;
        int zo = (p - r0) * g4;
        int lo = lane * h;
        float k = keep[p];
        for (int j = 0; j < h; j++) {
          float dh = dHs[ho + j] + dhNext[lo + j];
          float ig = gates[go + j];
          float fg = gates[go + h + j];
          float og = gates[go + 2 * h + j];
          float gg = gates[go + 3 * h + j];
          float tc = tcs[ho + j];
          float dc = dcNext[lo + j] + dh * og * (1f - tc * tc);
          dZ[zo + j] = dc * gg * ig * (1f - ig);
          dZ[zo + h + j] = dc * cp[ho + j] * fg * (1f - fg);
          dZ[zo + 2 * h + j] = dh * tc * og * (1f - og);
          dZ[zo + 3 * h + j] = dc * ig * (1f - gg * gg);
          dcNext[lo + j] = dc * fg * k;
        }
      }
      if (t > g0) {
        dzBuf.clear();
        dzBuf.put(dZ, (base - r0) * g4, lanes * g4);
        Nd4j.gemm(dzNd, f.uM, dhNd, false, true, 1.0, 0.0);
        dhBuf.clear();
        dhBuf.get(dhRec);
        for (int lane = 0; lane < lanes; lane++) {
          float k = keep[base + lane];
          int lo = lane * h;
          for (int j = 0; j < h; j++) {
            dhNext[lo + j] = dhRec[lo + j] * k;
          }
        }
      }
    }
    INDArray dZNd = matrix(dZ, n - r0, g4);
    INDArray xR = f.x.get(NDArrayIndex.interval(r0, n), NDArrayIndex.all());
    INDArray hpR = matrix(Arrays.copyOfRange(f.hp, r0 * h, n * h), n - r0, h);
    float[] dW = floats(mm(xR, dZNd, true, false));
    float[] dU = floats(mm(hpR, dZNd, true, false));
    float[] db = new float[g4];
    for (int r = 0; r < n - r0; r++) {
      int off = r * g4;
      for (int k = 0; k < g4; k++) {
        db[k] += dZ[off + k];
      }
    }
    float[] dX = floats(mm(dZNd, f.wM, false, true));
    if (xMask != null) {
      int off = r0 * d;
      for (int j = 0; j < dX.length; j++) {
        dX[j] *= xMask[off + j];
      }
    }
    return new Gradients(dW, dU, db, dX);
  }

  private void applyEmbeddingGradient(SequenceBatch batch, float[] dX, float alpha) {
    int lanes = batch.lanes();
    int r0 = batch.gradientFrom() * lanes;
    int n = batch.inputs().length;
    // Sum the gradient rows of repeated inputs first: lazy Adam needs distinct rows. A map, not
    // an array over every row: the step's cost must not grow with the catalogue.
    Map<Integer, Integer> slot = new HashMap<>(2 * (n - r0));
    int[] rowsTouched = new int[n - r0];
    float[] grad = new float[(n - r0) * d];
    int distinct = 0;
    for (int p = r0; p < n; p++) {
      int row = batch.inputs()[p];
      if (row < 0) {
        continue;
      }
      Integer known = slot.putIfAbsent(row, distinct);
      int s = known != null ? known : distinct++;
      if (known == null) {
        rowsTouched[s] = row;
      }
      int src = (p - r0) * d;
      int dst = s * d;
      for (int j = 0; j < d; j++) {
        grad[dst + j] += dX[src + j];
      }
    }
    Adam.rows(emb, rowsTouched, distinct, grad, alpha, l2);
  }

  // ---- stage 3: score ----

  private INDArray outMatrix() {
    if (cachedOut == null) {
      try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        cachedOut = matrix(out.values, capacity(), h);
      }
    }
    return cachedOut;
  }

  private INDArray biasRow() {
    if (cachedBias == null) {
      float[] bias = outBias.values.clone();
      for (int j = 0; j < bias.length; j++) {
        bias[j] += logitMask[j];
      }
      try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
        cachedBias = matrix(bias, 1, bias.length);
      }
    }
    return cachedBias;
  }

  // ---- helpers ----

  /** In place, one native op (max-shifted, so no overflow) instead of five broadcast ops. */
  private static void softmaxRows(INDArray a) {
    Nd4j.exec(new SoftMax(a, a, 1));
  }

  private float[] dropoutMask(SplittableRandom rng, int length) {
    float[] mask = new float[length];
    float keepScale = 1f / (1f - dropout);
    for (int i = 0; i < length; i++) {
      mask[i] = rng.nextFloat() < dropout ? 0f : keepScale;
    }
    return mask;
  }

  private float[] finalRows(float[] stacked, SequenceBatch batch) {
    int lanes = batch.lanes();
    int from = (batch.steps() - 1) * lanes * h;
    return Arrays.copyOfRange(stacked, from, from + lanes * h);
  }

  private static float[] gatherRows(float[] table, int rowLength, int[] rowsIdx) {
    float[] outRows = new float[rowsIdx.length * rowLength];
    for (int r = 0; r < rowsIdx.length; r++) {
      System.arraycopy(table, rowsIdx[r] * rowLength, outRows, r * rowLength, rowLength);
    }
    return outRows;
  }

  /**
   * {@code op(a) x op(b)} into a new c-order array. Goes straight to BLAS gemm: in M2.1 {@code
   * INDArray.mmul} took 10-20x longer for the small per-step products (measured, see README).
   */
  private static INDArray mm(INDArray a, INDArray b, boolean transA, boolean transB) {
    long rowsN = transA ? a.columns() : a.rows();
    long cols = transB ? b.rows() : b.columns();
    INDArray c = Nd4j.create(DataType.FLOAT, rowsN, cols);
    Nd4j.gemm(a, b, c, transA, transB, 1.0, 0.0);
    return c;
  }

  /**
   * Bulk copies through the buffer's NIO view: {@code Nd4j.create(float[])} and {@code
   * DataBuffer.asFloat()} copy element by element in M2.1 (JFR blamed them for a tenth of the
   * stream threads' samples; end to end the change was within noise, see
   * docs/BENCHMARKS-ARCHIVE.md).
   */
  static INDArray matrix(float[] data, int rowsN, int cols) {
    INDArray a = Nd4j.createUninitialized(DataType.FLOAT, rowsN, cols);
    a.data().asNioFloat().put(data, 0, rowsN * cols);
    return a;
  }

  static float[] floats(INDArray a) {
    INDArray c =
        a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
    float[] out = new float[(int) c.length()];
    c.data().asNioFloat().get(out);
    return out;
  }
}
