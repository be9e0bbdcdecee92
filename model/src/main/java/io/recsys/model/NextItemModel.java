package io.recsys.model;

import io.recsys.model.internal.LstmNetwork;
import io.recsys.model.internal.SequenceBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The next-item recommender: a vocabulary of item ids and the embedding -> LSTM -> softmax network
 * behind it. Trains incrementally ({@link #train}), recommends in batches ({@link #recommend}),
 * saves and loads exactly ({@link #save}, {@link #load}). No ND4J type appears in its API.
 *
 * <p>Not thread-safe: one trainer thread owns it; serving instances hold their own copy loaded from
 * a checkpoint.
 */
public final class NextItemModel implements IncrementalTrainer, Recommender, AutoCloseable {
  private final ModelConfig config;
  private final ItemVocabulary vocabulary;
  private final LstmNetwork network;
  private long examplesTrained;
  private String dataPosition = "";

  NextItemModel(ModelConfig config, ItemVocabulary vocabulary, LstmNetwork network) {
    this.config = Objects.requireNonNull(config, "config");
    this.vocabulary = vocabulary;
    this.network = network;
    vocabulary.setListener(
        new ItemVocabulary.RowListener() {
          @Override
          public void grown(int newCapacity) {
            network.grow(newCapacity);
          }

          @Override
          public void assigned(int row) {
            network.initRow(row);
            network.setActive(row, true);
          }

          @Override
          public void released(int row) {
            network.setActive(row, false);
          }
        });
  }

  /** A fresh model with an empty vocabulary. */
  public static NextItemModel create(ModelConfig config, VocabularyConfig vocabularyConfig) {
    ItemVocabulary vocabulary = new ItemVocabulary(vocabularyConfig);
    return new NextItemModel(config, vocabulary, newNetwork(config, vocabulary.capacity()));
  }

  /** An initialised network of {@code capacity} item rows shaped by {@code config}. */
  static LstmNetwork newNetwork(ModelConfig config, int capacity) {
    return new LstmNetwork(
        capacity,
        config.embeddingSize(),
        config.hiddenSize(),
        config.learningRate(),
        config.l2(),
        config.dropout(),
        config.seed());
  }

  public static NextItemModel load(Path file) throws IOException {
    return Checkpoints.load(file);
  }

  /**
   * Reads a checkpoint held in memory, such as one assembled from {@code model-updates}.
   *
   * @param source names the checkpoint in errors
   */
  public static NextItemModel load(byte[] checkpoint, String source) throws IOException {
    return Checkpoints.load(new java.io.ByteArrayInputStream(checkpoint), source);
  }

  /** Writes weights, updater state, vocabulary and provenance to {@code file} (a zip). */
  public void save(Path file) throws IOException {
    Checkpoints.save(this, file);
  }

  /**
   * Writes weights, vocabulary and provenance without the updater state: about a third of the
   * size of {@link #save}, for serving instances. A model loaded from it recommends exactly as
   * this one; training it restarts Adam's moments from zero.
   */
  public void saveForServing(Path file) throws IOException {
    Checkpoints.save(this, file, false);
  }

  /**
   * A new model: this one with {@code delta} applied, for a serving instance that follows the
   * trainer by deltas between snapshots. This model is left as it is, so that requests in flight
   * finish on it while the new one is swapped in. The copy carries no updater state and no item
   * counts: it serves, it does not train.
   *
   * @throws IllegalArgumentException if the delta does not fit this model (another shape)
   */
  public NextItemModel applying(ModelDelta delta) {
    if (delta.capacity() < vocabulary.capacity()) {
      throw new IllegalArgumentException(
          "delta is for " + delta.capacity() + " item rows, this model has " + vocabulary.capacity());
    }
    ItemVocabulary.State state = vocabulary.state();
    String[] itemAt = Arrays.copyOf(state.itemAt(), delta.capacity());
    int highWater = state.highWater();
    int[] itemRows = delta.itemRows();
    for (int i = 0; i < itemRows.length; i++) {
      int row = itemRows[i];
      if (row < 0 || row >= itemAt.length) {
        throw new IllegalArgumentException("delta names item row " + row + " of " + itemAt.length);
      }
      itemAt[row] = delta.itemIds()[i];
      highWater = Math.max(highWater, row + 1);
    }
    ItemVocabulary copiedVocabulary =
        ItemVocabulary.fromState(
            vocabulary.config(),
            new ItemVocabulary.State(
                itemAt,
                Arrays.copyOf(state.counts(), itemAt.length),
                Arrays.copyOf(state.lastSeenMs(), itemAt.length),
                highWater,
                Map.of(),
                state.clockMs()));
    LstmNetwork copiedNetwork = network.valuesCopy(delta.capacity());
    if (delta.tableCount() != copiedNetwork.tables().length) {
      throw new IllegalArgumentException(
          "delta has " + delta.tableCount() + " tables, the model " + copiedNetwork.tables().length);
    }
    for (int t = 0; t < delta.tableCount(); t++) {
      if (delta.rowLength(t) != copiedNetwork.tables()[t].rowLength()) {
        throw new IllegalArgumentException(
            "delta table " + t + " has rows of " + delta.rowLength(t) + ", the model "
                + copiedNetwork.tables()[t].rowLength());
      }
      copiedNetwork.setRows(
          t, delta.rows(t), delta.values(t, copiedNetwork.tables()[t].values()));
    }
    for (int row : itemRows) {
      copiedNetwork.setActive(row, itemAt[row] != null);
    }
    copiedNetwork.setStep(delta.updateCount());
    NextItemModel copy = new NextItemModel(config, copiedVocabulary, copiedNetwork);
    copy.restoreCounters(delta.examplesTrained(), delta.dataPosition());
    return copy;
  }

  public ModelConfig config() {
    return config;
  }

  public ItemVocabulary vocabulary() {
    return vocabulary;
  }

  /** Updater steps taken since creation. */
  public long updateCount() {
    return network.step();
  }

  public long examplesTrained() {
    return examplesTrained;
  }

  /** Where in the input the model has read up to (for example topic offsets); saved with it. */
  public String dataPosition() {
    return dataPosition;
  }

  public void setDataPosition(String position) {
    this.dataPosition = Objects.requireNonNull(position, "position");
  }

  /**
   * The Adam step size in use: {@link ModelConfig#learningRate()} unless a schedule changed it.
   * Saved with checkpoints.
   */
  public double learningRate() {
    return network.learningRate();
  }

  /** Sets the step size for the following updates (for example halving it on a plateau). */
  public void setLearningRate(double rate) {
    network.setLearningRate((float) rate);
  }

  /** An opaque deep copy of the weights and updater state (for early stopping). */
  public Object snapshot() {
    return network.snapshot();
  }

  /** Puts back a {@link #snapshot()} of this model taken at the same vocabulary capacity. */
  public void restore(Object snapshot) {
    network.restoreSnapshot((float[][]) snapshot);
  }

  LstmNetwork network() {
    return network;
  }

  void restoreCounters(long examples, String position) {
    this.examplesTrained = examples;
    this.dataPosition = position;
  }

  /** Admits an item without training on it (for example a catalogue known up front). */
  public int admit(String itemId, long timeMs) {
    return vocabulary.observe(itemId, timeMs);
  }

  /** Frees the rows of items unseen for {@link VocabularyConfig#expireAfterMs()}. */
  public List<String> expireUnseen(long nowMs) {
    return vocabulary.expire(nowMs);
  }

  @Override
  public TrainingStats train(List<TrainingExample> microBatch) {
    int trained = 0;
    int skipped = 0;
    double lossSum = 0;
    double weightSum = 0;
    List<int[]> seqs = new ArrayList<>();
    List<Integer> targets = new ArrayList<>();
    List<Float> weights = new ArrayList<>();
    for (TrainingExample ex : microBatch) {
      int target = vocabulary.observe(ex.target(), ex.eventTimeMs());
      int[] seq = rows(ex.sequence());
      if (target < 0 || seq.length == 0 || ex.weight() == 0.0) {
        skipped++;
        continue;
      }
      seqs.add(seq);
      targets.add(target);
      weights.add((float) ex.weight());
      if (seqs.size() == config.maxBatchSize()) {
        LstmNetwork.StepResult r = step(seqs, targets, weights);
        lossSum += r.lossSum();
        weightSum += r.weightSum();
        trained += seqs.size();
        seqs.clear();
        targets.clear();
        weights.clear();
      }
    }
    if (!seqs.isEmpty()) {
      LstmNetwork.StepResult r = step(seqs, targets, weights);
      lossSum += r.lossSum();
      weightSum += r.weightSum();
      trained += seqs.size();
    }
    examplesTrained += trained;
    return new TrainingStats(
        trained, skipped, weightSum > 0 ? lossSum / weightSum : 0.0, network.step());
  }

  private LstmNetwork.StepResult step(
      List<int[]> seqs, List<Integer> targets, List<Float> weights) {
    SequenceBatch batch = rightAligned(seqs, config.backpropSteps());
    int lanes = seqs.size();
    int last = (batch.steps() - 1) * lanes;
    for (int lane = 0; lane < lanes; lane++) {
      batch.targets()[last + lane] = targets.get(lane);
      batch.weights()[last + lane] = weights.get(lane);
    }
    float[] sampling =
        config.loss() == LossType.SAMPLED_SOFTMAX
            ? vocabulary.samplingWeights(config.samplingExponent())
            : null;
    return network.trainStep(batch, null, null, sampling, config.negatives());
  }

  /**
   * Sequences right-aligned so that every lane's newest item is at the last step; the first real
   * step of each lane resets the state, which makes the padding before it irrelevant.
   */
  private static SequenceBatch rightAligned(List<int[]> seqs, int backpropSteps) {
    int steps = 1;
    for (int[] s : seqs) {
      steps = Math.max(steps, s.length);
    }
    int lanes = seqs.size();
    SequenceBatch batch = SequenceBatch.empty(steps, lanes, Math.max(0, steps - backpropSteps));
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

  /** The newest {@link ModelConfig#sequenceLength()} known items of a history, as rows. */
  private int[] rows(List<String> history) {
    int[] out = new int[Math.min(history.size(), config.sequenceLength())];
    int n = 0;
    for (int i = history.size() - 1; i >= 0 && n < out.length; i--) {
      int row = vocabulary.rowOf(history.get(i));
      if (row >= 0) {
        out[n++] = row;
      }
    }
    int[] ordered = new int[n];
    for (int i = 0; i < n; i++) {
      ordered[i] = out[n - 1 - i];
    }
    return ordered;
  }

  /**
   * Scores of every vocabulary row for each history ({@code [history][row]}, see {@link
   * ItemVocabulary#itemAt}); free rows score -1e9 and histories with no known item get null.
   */
  public float[][] scoreAll(List<List<String>> histories) {
    float[][] result = new float[histories.size()][];
    int cap = network.capacity();
    int chunk = Math.max(1, config.maxBatchSize());
    for (int from = 0; from < histories.size(); from += chunk) {
      int to = Math.min(histories.size(), from + chunk);
      LaneScores scored = laneScores(histories.subList(from, to));
      for (int i = from; i < to; i++) {
        int lane = scored.laneOf()[i - from];
        if (lane >= 0) {
          result[i] = Arrays.copyOfRange(scored.scores(), lane * cap, (lane + 1) * cap);
        }
      }
    }
    return result;
  }

  /**
   * Scores of one batch, {@code [lane * capacity + row]}, one lane per history with a known item
   * ({@code laneOf[history]}, -1 for none): no per-history copies on the serving path.
   */
  private record LaneScores(float[] scores, int[] laneOf) {}

  private LaneScores laneScores(List<List<String>> histories) {
    List<int[]> seqs = new ArrayList<>(histories.size());
    int[] laneOf = new int[histories.size()];
    for (int i = 0; i < histories.size(); i++) {
      int[] seq = rows(histories.get(i));
      laneOf[i] = seq.length > 0 ? seqs.size() : -1;
      if (seq.length > 0) {
        seqs.add(seq);
      }
    }
    if (seqs.isEmpty()) {
      return new LaneScores(new float[0], laneOf);
    }
    float[] hidden = network.finalHidden(rightAligned(seqs, 1));
    return new LaneScores(network.scores(hidden, seqs.size()), laneOf);
  }

  @Override
  public List<List<RecommendedItem>> recommend(List<List<String>> histories, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
    List<List<RecommendedItem>> out = new ArrayList<>(histories.size());
    int cap = network.capacity();
    // Chunks bound the score matrix: 256 x 100k items is 100 MB.
    int chunk = Math.min(256, Math.max(1, config.maxBatchSize()));
    for (int from = 0; from < histories.size(); from += chunk) {
      List<List<String>> part = histories.subList(from, Math.min(histories.size(), from + chunk));
      LaneScores scored = laneScores(part);
      float[] scores = scored.scores();
      for (int i = 0; i < part.size(); i++) {
        int lane = scored.laneOf()[i];
        if (lane < 0) {
          out.add(List.of());
          continue;
        }
        int offset = lane * cap;
        for (String item : part.get(i)) {
          int row = vocabulary.rowOf(item);
          if (row >= 0) {
            scores[offset + row] = EXCLUDED;
          }
        }
        out.add(topK(scores, offset, cap, k));
      }
    }
    return out;
  }

  /** The score of an item the history holds: below every real and every free row's score. */
  private static final float EXCLUDED = Float.NEGATIVE_INFINITY;

  /**
   * The best {@code k} rows of {@code scores[offset, offset + rows)}. A min-heap of positions in a
   * plain array, the worst kept at the root: no boxing, and once it is full a row costs one float
   * comparison with the root's score (rows are scanned in order, so a tie with the root is never
   * better). Ties go to the lower row.
   */
  private List<RecommendedItem> topK(float[] scores, int offset, int rows, int k) {
    int[] heap = new int[k];
    int size = 0;
    float worstKept = Float.NEGATIVE_INFINITY;
    for (int row = 0; row < rows; row++) {
      float score = scores[offset + row];
      if (size == k && score <= worstKept) {
        continue;
      }
      if (score == EXCLUDED || !network.isActive(row)) {
        continue;
      }
      if (size < k) {
        heap[size] = offset + row;
        siftUp(heap, size++, scores);
      } else {
        heap[0] = offset + row;
        siftDown(heap, size, scores);
      }
      if (size == k) {
        worstKept = scores[heap[0]];
      }
    }
    RecommendedItem[] items = new RecommendedItem[size];
    for (int i = size - 1; i >= 0; i--) {
      int position = heap[0];
      heap[0] = heap[i];
      siftDown(heap, i, scores);
      items[i] = new RecommendedItem(vocabulary.itemAt(position - offset), scores[position]);
    }
    return List.of(items);
  }

  /** Whether position {@code a} ranks above {@code b}: higher score, then lower row. */
  private static boolean better(int a, int b, float[] scores) {
    return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
  }

  private static void siftUp(int[] heap, int at, float[] scores) {
    while (at > 0) {
      int parent = (at - 1) / 2;
      if (!better(heap[parent], heap[at], scores)) {
        return;
      }
      int t = heap[parent];
      heap[parent] = heap[at];
      heap[at] = t;
      at = parent;
    }
  }

  private static void siftDown(int[] heap, int size, float[] scores) {
    int at = 0;
    while (true) {
      int worst = at;
      int left = 2 * at + 1;
      int right = left + 1;
      if (left < size && better(heap[worst], heap[left], scores)) {
        worst = left;
      }
      if (right < size && better(heap[worst], heap[right], scores)) {
        worst = right;
      }
      if (worst == at) {
        return;
      }
      int t = heap[worst];
      heap[worst] = heap[at];
      heap[at] = t;
      at = worst;
    }
  }

  /** Holds no native memory between calls (ND4J arrays are per call or cached and GC-owned). */
  @Override
  public void close() {
    network.invalidate();
  }
}
