package io.recsys.model;

import io.recsys.model.internal.LstmNetwork;
import io.recsys.model.internal.NegativeSampler;
import io.recsys.model.internal.ParamTable;
import io.recsys.model.internal.SequenceBatch;
import io.recsys.model.internal.TopK;
import io.recsys.model.retrieval.ItemVectors;
import io.recsys.model.retrieval.Retrieval;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The next-item recommender: a vocabulary of item ids and the embedding -> LSTM -> softmax network
 * behind it. Trains incrementally ({@link #train}), recommends in batches ({@link #recommend}),
 * saves and loads exactly ({@link #save}, {@link #load}). No ND4J type appears in its API.
 *
 * <p>Not thread-safe: one trainer thread owns it; serving instances hold their own copy loaded from
 * a checkpoint.
 */
public final class NextItemModel
    implements IncrementalTrainer, Recommender, StateStepper, AutoCloseable {
  private final ModelConfig config;
  private final ItemVocabulary vocabulary;
  private final LstmNetwork network;
  private long examplesTrained;
  private String dataPosition = "";

  /** Per row, the hidden state after that item alone ({@link #strongestSupport}); lazily filled. */
  private float[][] aloneStates = new float[0][];

  /** {@link LstmNetwork#changes()} when {@link #aloneStates} was started. */
  private long aloneStatesAt = -1;

  /**
   * The sampled loss's proposal, popularity^{@link ModelConfig#samplingExponent()} per row, kept up
   * to date item by item; built on first use (null until then and after a restore).
   */
  private NegativeSampler sampler;

  /** Candidate retrieval for large catalogues; null scores every item. */
  private volatile Retrieval retrieval;

  /**
   * One serving call in this many through the index also scores every item for its first user, to
   * sample the index's recall: at 10^6 items about 0.1 s of one thread, under 0.5 ms per call on
   * average.
   */
  NextItemModel(ModelConfig config, ItemVocabulary vocabulary, LstmNetwork network) {
    this.config = Objects.requireNonNull(config, "config");
    this.vocabulary = vocabulary;
    this.network = network;
    vocabulary.setListener(
        new ItemVocabulary.RowListener() {
          @Override
          public void grown(int newCapacity) {
            network.grow(newCapacity);
            if (sampler != null) {
              sampler.grow(newCapacity);
            }
          }

          @Override
          public void assigned(int row) {
            network.initRow(row);
            network.setActive(row, true);
          }

          @Override
          public void released(int row) {
            network.setActive(row, false);
            if (sampler != null) {
              sampler.set(row, 0);
            }
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
        config.outputLearningRateScale(),
        config.l2(),
        config.dropout(),
        config.seed());
  }

  public static NextItemModel load(Path file) throws IOException {
    return Checkpoints.load(file);
  }

  /**
   * Reads a checkpoint from a stream, such as one assembled from {@code model-updates}, holding
   * each table once as it reads.
   *
   * @param source names the checkpoint in errors
   */
  public static NextItemModel load(InputStream checkpoint, String source) throws IOException {
    return Checkpoints.load(checkpoint, source);
  }

  /**
   * Reads a checkpoint for serving, which never trains: a full checkpoint's updater state (Adam's
   * moments, twice the weights) is skipped as it is read, so the model is held once and later
   * snapshots can be copied into it ({@link #reload}).
   *
   * @param source names the checkpoint in errors
   */
  public static NextItemModel loadForServing(InputStream checkpoint, String source)
      throws IOException {
    return Checkpoints.load(checkpoint, source, false);
  }

  /** Writes weights, updater state, vocabulary and provenance to {@code file} (a zip). */
  public void save(Path file) throws IOException {
    Checkpoints.save(this, file);
  }

  /**
   * Writes weights, vocabulary and provenance without the updater state: about a third of the size
   * of {@link #save}, for serving instances. A model loaded from it recommends exactly as this one;
   * training it restarts Adam's moments from zero.
   */
  public void saveForServing(Path file) throws IOException {
    Checkpoints.save(this, file, false);
  }

  /**
   * A new model: this one with {@code delta} applied, leaving this one as it is. The copy carries
   * no updater state and no item counts: it serves, it does not train. A serving instance applies
   * deltas in place instead ({@link #apply}): a copy of a 10^6-item model is 0.8 GB per version.
   *
   * @throws IllegalArgumentException if the delta does not fit this model (another shape)
   */
  public NextItemModel applying(ModelDelta delta) {
    requireFits(delta);
    ItemVocabulary.State state = vocabulary.state();
    ItemVocabulary copiedVocabulary =
        ItemVocabulary.fromState(
            vocabulary.config(),
            new ItemVocabulary.State(
                state.itemAt(),
                state.counts(),
                state.lastSeenMs(),
                state.highWater(),
                Map.of(),
                state.clockMs()));
    NextItemModel copy =
        new NextItemModel(config, copiedVocabulary, network.valuesCopy(network.capacity()));
    copy.retrieval = retrieval;
    copy.apply(delta);
    return copy;
  }

  /**
   * Applies {@code delta} to this model in place, for a serving instance that follows the trainer
   * by deltas between snapshots: the rows it names, the items it (re)assigns, growth to its
   * capacity. Checks that the delta fits before changing anything, so a refused delta leaves the
   * model as it was. The caller keeps readers out meanwhile (serving locks the model). A candidate
   * index is carried on, with the rows the delta moved marked.
   *
   * @throws IllegalArgumentException if the delta does not fit this model (another shape)
   */
  public void apply(ModelDelta delta) {
    requireFits(delta);
    if (delta.capacity() > network.capacity()) {
      vocabulary.growTo(delta.capacity());
      network.growZeroed(delta.capacity());
    }
    int[] itemRows = delta.itemRows();
    for (int i = 0; i < itemRows.length; i++) {
      vocabulary.assign(itemRows[i], delta.itemIds()[i]);
    }
    ParamTable[] tables = network.tables();
    float[][] values = new float[delta.tableCount()][];
    for (int t = 0; t < delta.tableCount(); t++) {
      // Every table's new rows first: a quantized delta is relative to the values held now.
      values[t] = delta.values(t, tables[t].values());
    }
    for (int t = 0; t < delta.tableCount(); t++) {
      network.setRows(t, delta.rows(t), values[t]);
    }
    for (int row : itemRows) {
      network.setActive(row, vocabulary.itemAt(row) != null);
    }
    network.setStep(delta.updateCount());
    restoreCounters(delta.examplesTrained(), delta.dataPosition());
    Retrieval followed = retrieval;
    if (followed != null) {
      retrieval = followed.following(itemVectors(), changedItemRows(delta));
    }
  }

  /**
   * Makes this serving model the serving checkpoint (a snapshot) that {@code checkpoint} opens, in
   * place, so that a large model is never held twice: a served 10^6-item model is 0.8 GB, and
   * loading the next snapshot beside it would hold two. The checkpoint is opened twice, first to
   * check all of it (every table's shape, the zip's checksums), then to copy it. Readers lock this
   * model, as for {@link #apply}; the copy holds the lock only per slice of rows, so serving goes
   * on meanwhile with rows of both versions, of the same items: an item whose row the checkpoint
   * gives to another item, or frees, is unknown to serving until the copy is done, and the
   * checkpoint's new items are known from then on. The candidate index is carried on, as by a
   * delta, with every row the checkpoint moved marked. Item counts, kept only for training, are
   * left as they are.
   *
   * @param source names the checkpoint in errors
   * @return false, having changed nothing, where the checkpoint does not fit this model (other
   *     hyperparameters or vocabulary settings, fewer item rows, or this model keeps an updater
   *     state): load it as a new model instead
   * @throws IOException if the checkpoint does not read; found before anything is changed
   */
  public boolean reload(Supplier<InputStream> checkpoint, String source) throws IOException {
    return Checkpoints.loadInto(this, checkpoint, source);
  }

  /** Whether a checkpoint with {@code head} can be copied into this model ({@link #reload}). */
  boolean fits(Checkpoints.Head head) {
    if (!head.config().equals(config)
        || !head.vocabularyConfig().equals(vocabulary.config())
        || head.vocabulary().itemAt().length < vocabulary.capacity()) {
      return false;
    }
    for (ParamTable t : network.tables()) {
      if (t.hasMoments()) {
        return false;
      }
    }
    return true;
  }

  /**
   * First step of {@link #reload}: rows whose item the checkpoint changes are released, so no
   * reader takes their new weights for the old item; the tables grow to {@code capacity} rows. The
   * rows are found before the lock is taken: only the thread that reloads writes the vocabulary.
   */
  void beginReload(ItemVocabulary.State next, int capacity) {
    int[] changedHands =
        IntStream.range(0, vocabulary.capacity())
            .filter(
                row ->
                    vocabulary.itemAt(row) != null
                        && !vocabulary.itemAt(row).equals(next.itemAt()[row]))
            .toArray();
    synchronized (this) {
      for (int row : changedHands) {
        vocabulary.assign(row, null);
        network.setActive(row, false);
      }
      if (capacity > network.capacity()) {
        vocabulary.growTo(capacity);
        network.growZeroed(capacity);
      }
    }
  }

  /** One slice of {@link #reload}: rows of one table, and the index told which items moved. */
  synchronized void reloadRows(int table, int firstRow, float[] values, int rows) {
    network.copyRows(table, firstRow, values, rows);
    Retrieval followed = retrieval;
    if (followed != null
        && (table == LstmNetwork.OUTPUT_TABLE || table == LstmNetwork.BIAS_TABLE)) {
      retrieval =
          followed.following(itemVectors(), IntStream.range(firstRow, firstRow + rows).toArray());
    }
  }

  /** Last step of {@link #reload}: the checkpoint's items, active rows and counters. */
  void endReload(Checkpoints.Head head, long step, float[] mask) {
    String[] next = head.vocabulary().itemAt();
    int[] assigned =
        IntStream.range(0, next.length)
            .filter(row -> next[row] != null && !next[row].equals(vocabulary.itemAt(row)))
            .toArray();
    synchronized (this) {
      for (int row : assigned) {
        vocabulary.assign(row, next[row]);
      }
      network.restoreState(step, mask);
      sampler = null;
      restoreCounters(head.examplesTrained(), head.dataPosition());
      Retrieval followed = retrieval;
      if (followed != null) {
        retrieval = followed.following(itemVectors(), assigned);
      }
    }
  }

  private void requireFits(ModelDelta delta) {
    if (delta.capacity() < vocabulary.capacity()) {
      throw new IllegalArgumentException(
          "delta is for "
              + delta.capacity()
              + " item rows, this model has "
              + vocabulary.capacity());
    }
    ParamTable[] tables = network.tables();
    if (delta.tableCount() != tables.length) {
      throw new IllegalArgumentException(
          "delta has " + delta.tableCount() + " tables, the model " + tables.length);
    }
    for (int t = 0; t < delta.tableCount(); t++) {
      if (delta.rowLength(t) != tables[t].rowLength()) {
        throw new IllegalArgumentException(
            "delta table "
                + t
                + " has rows of "
                + delta.rowLength(t)
                + ", the model "
                + tables[t].rowLength());
      }
      // Item tables grow to the delta's capacity; the others keep their rows.
      int rowsAfter = LstmNetwork.isItemTable(t) ? delta.capacity() : tables[t].rows();
      for (int row : delta.rows(t)) {
        if (row < 0 || row >= rowsAfter) {
          throw new IllegalArgumentException(
              "row " + row + " is outside table " + t + " (" + rowsAfter + " rows)");
        }
      }
    }
    for (int row : delta.itemRows()) {
      if (row < 0 || row >= delta.capacity()) {
        throw new IllegalArgumentException(
            "delta names item row " + row + " of " + delta.capacity());
      }
    }
  }

  /** Rows whose output vector or item a delta changes. */
  private static int[] changedItemRows(ModelDelta delta) {
    return IntStream.concat(
            IntStream.of(delta.itemRows()),
            IntStream.concat(
                IntStream.of(delta.rows(LstmNetwork.OUTPUT_TABLE)),
                IntStream.of(delta.rows(LstmNetwork.BIAS_TABLE))))
        .distinct()
        .toArray();
  }

  /**
   * A read-only view of the item output rows (no copy), for building a serving index; see {@link
   * ItemVectors} for when it may be read.
   */
  public ItemVectors itemVectors() {
    return new ItemVectors(
        network.capacity(),
        network.hiddenSize(),
        network.tables()[LstmNetwork.OUTPUT_TABLE].values(),
        network.tables()[LstmNetwork.BIAS_TABLE].values(),
        network::isActive);
  }

  /**
   * Serve through {@code candidates} (null: score every item). A serving copy made by {@link
   * #applying} carries it on, updated by the delta's rows.
   */
  public void useRetrieval(Retrieval candidates) {
    this.retrieval = candidates;
  }

  /** The retrieval serving uses, or null when it scores every item. */
  public Retrieval retrieval() {
    return retrieval;
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

  /**
   * A snapshot whose weights are the mean of {@code snapshots}' (each a {@link #snapshot()} of this
   * model at its current capacity), for {@link #restore}: tail averaging of training epochs.
   */
  public Object meanOf(List<Object> snapshots) {
    List<float[][]> arrays = new ArrayList<>(snapshots.size());
    for (Object s : snapshots) {
      arrays.add((float[][]) s);
    }
    return LstmNetwork.meanOf(arrays);
  }

  /** Puts back a {@link #snapshot()} of this model taken at the same vocabulary capacity. */
  public void restore(Object snapshot) {
    network.restoreSnapshot((float[][]) snapshot);
  }

  /** Whether training steps use the sampled loss now (see {@link LossType#samplesAt}). */
  public boolean usesSampledLoss() {
    return config.loss().samplesAt(network.capacity());
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

  /**
   * Releases the rows of items unseen for {@code unseenMs} before the latest event time the model
   * has observed (whatever its vocabulary's own expiry), so that a catalogue that keeps changing
   * does not grow the model without bound; a released row goes to the next new item. Returns the
   * expired ids.
   */
  public List<String> expireUnseenFor(long unseenMs) {
    if (unseenMs <= 0) {
      throw new IllegalArgumentException("unseenMs must be > 0, got " + unseenMs);
    }
    long clock = vocabulary.clockMs();
    return clock <= unseenMs ? List.of() : vocabulary.expireBefore(clock - unseenMs);
  }

  /**
   * Releases the rows of the items seen least recently until at most {@code maxItems} items hold
   * rows: a hard bound on the model's size whatever the catalogue does. Returns the expired ids.
   */
  public List<String> expireBeyond(int maxItems) {
    if (maxItems <= 0) {
      throw new IllegalArgumentException("maxItems must be > 0, got " + maxItems);
    }
    return vocabulary.expireBeyond(maxItems);
  }

  @Override
  public TrainingStats train(List<TrainingExample> microBatch) {
    return train(microBatch, null);
  }

  /**
   * Trains on examples that each continue a state: example {@code i}'s sequence is read from {@code
   * starts.get(i)} (null: from a fresh start), and gradients stop at that state. The trainer uses
   * it with each user's carried state before the newest {@link ModelConfig#backpropSteps()} items:
   * those steps get gradients anyway, and the steps before them need no re-read when the state is
   * carried from the user's previous example. With {@code starts} null this is {@link
   * #train(List)}: each sequence is read from a fresh start and only its newest {@link
   * ModelConfig#backpropSteps()} steps get gradients.
   */
  public TrainingStats train(List<TrainingExample> microBatch, List<SequenceState> starts) {
    if (starts != null && starts.size() != microBatch.size()) {
      throw new IllegalArgumentException(
          "one start per example: " + microBatch.size() + " examples, " + starts.size());
    }
    int trained = 0;
    int skipped = 0;
    double lossSum = 0;
    double weightSum = 0;
    Lanes lanes = new Lanes();
    for (int i = 0; i < microBatch.size(); i++) {
      TrainingExample ex = microBatch.get(i);
      int target = vocabulary.observe(ex.target(), ex.eventTimeMs());
      if (target >= 0 && sampler != null) {
        sampler.set(target, samplingWeight(target));
      }
      int[] seq = rows(ex.sequence());
      if (target < 0 || seq.length == 0 || ex.weight() == 0.0) {
        skipped++;
        continue;
      }
      SequenceState start = starts == null ? null : starts.get(i);
      if (start != null) {
        requireFits(start);
      }
      lanes.add(seq, target, (float) ex.weight(), start);
      if (lanes.size() == config.maxBatchSize()) {
        LstmNetwork.StepResult r = step(lanes, starts != null);
        lossSum += r.lossSum();
        weightSum += r.weightSum();
        trained += lanes.size();
        lanes = new Lanes();
      }
    }
    if (lanes.size() > 0) {
      LstmNetwork.StepResult r = step(lanes, starts != null);
      lossSum += r.lossSum();
      weightSum += r.weightSum();
      trained += lanes.size();
    }
    examplesTrained += trained;
    return new TrainingStats(
        trained, skipped, weightSum > 0 ? lossSum / weightSum : 0.0, network.step());
  }

  /** The examples of one updater step. */
  private static final class Lanes {
    final List<int[]> seqs = new ArrayList<>();
    final List<Integer> targets = new ArrayList<>();
    final List<Float> weights = new ArrayList<>();
    final List<SequenceState> starts = new ArrayList<>();

    void add(int[] seq, int target, float weight, SequenceState start) {
      seqs.add(seq);
      targets.add(target);
      weights.add(weight);
      starts.add(start);
    }

    int size() {
      return seqs.size();
    }
  }

  private LstmNetwork.StepResult step(Lanes lanes, boolean continuing) {
    int n = lanes.size();
    SequenceBatch batch;
    float[] h0 = null;
    float[] c0 = null;
    if (continuing) {
      batch = SequenceBatch.leftAligned(lanes.seqs);
      int h = network.hiddenSize();
      h0 = new float[n * h];
      c0 = new float[n * h];
      for (int lane = 0; lane < n; lane++) {
        SequenceState start = lanes.starts.get(lane);
        if (start != null) {
          batch.keep()[lane] = 1f;
          start.copyHidden(h0, lane * h);
          start.copyCell(c0, lane * h);
        }
        int last = (lanes.seqs.get(lane).length - 1) * n + lane;
        batch.targets()[last] = lanes.targets.get(lane);
        batch.weights()[last] = lanes.weights.get(lane);
      }
    } else {
      batch = SequenceBatch.rightAligned(lanes.seqs, config.backpropSteps());
      int last = (batch.steps() - 1) * n;
      for (int lane = 0; lane < n; lane++) {
        batch.targets()[last + lane] = lanes.targets.get(lane);
        batch.weights()[last + lane] = lanes.weights.get(lane);
      }
    }
    return network.trainStep(
        batch, h0, c0, usesSampledLoss() ? sampler() : null, config.negatives());
  }

  private NegativeSampler sampler() {
    if (sampler == null || sampler.capacity() != network.capacity()) {
      sampler = new NegativeSampler(network.capacity());
      for (int row = 0; row < network.capacity(); row++) {
        if (vocabulary.itemAt(row) != null) {
          sampler.set(row, samplingWeight(row));
        }
      }
    }
    return sampler;
  }

  private double samplingWeight(int row) {
    return Math.pow(vocabulary.count(row), config.samplingExponent());
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
    List<SequenceState> states = states(histories);
    int cap = network.capacity();
    int chunk = Math.max(1, config.maxBatchSize());
    for (int from = 0; from < states.size(); from += chunk) {
      int to = Math.min(states.size(), from + chunk);
      LaneScores scored = laneScores(states.subList(from, to));
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
   * The state after each history's newest {@link ModelConfig#sequenceLength()} known items, read
   * from a fresh start (what {@link #recommend(List, int)} scores); null for a history with no
   * known item.
   */
  @Override
  public List<SequenceState> states(List<List<String>> histories) {
    List<SequenceState> out = new ArrayList<>(histories.size());
    int chunk = Math.max(1, config.maxBatchSize());
    for (int from = 0; from < histories.size(); from += chunk) {
      List<int[]> seqs = new ArrayList<>();
      List<Integer> laneOf = new ArrayList<>();
      int to = Math.min(histories.size(), from + chunk);
      for (List<String> history : histories.subList(from, to)) {
        int[] seq = rows(history);
        laneOf.add(seq.length > 0 ? seqs.size() : -1);
        if (seq.length > 0) {
          seqs.add(seq);
        }
      }
      float[][] hc =
          seqs.isEmpty()
              ? null
              : network.finalStates(SequenceBatch.rightAligned(seqs, 1), null, null);
      for (int lane : laneOf) {
        out.add(lane < 0 ? null : stateOf(hc, lane));
      }
    }
    return out;
  }

  /**
   * For each history, its item that most supports {@code targets.get(i)}: the one after which
   * alone, read from a fresh start, the model scores the target highest. This asks the model itself
   * (attribution by leave-one-in) rather than a similarity of embeddings, so the item named is one
   * that leads to the target in what the model learned. The state after each item alone is kept
   * until the weights change: a user's next event shares all but one item with the last, so most
   * calls read no item at all, and the missing ones are read together in one batch. Null where the
   * target or every item of the history is unknown to the model; ties go to the newer item.
   */
  public List<String> strongestSupport(List<List<String>> histories, List<String> targets) {
    if (histories.size() != targets.size()) {
      throw new IllegalArgumentException(
          "one target per history: " + histories.size() + " vs " + targets.size());
    }
    List<int[]> rows = new ArrayList<>(histories.size());
    histories.forEach(history -> rows.add(rows(history)));
    readAloneStates(rows);
    List<String> out = new ArrayList<>(histories.size());
    for (int i = 0; i < histories.size(); i++) {
      int target = vocabulary.rowOf(targets.get(i));
      int[] seq = target < 0 ? new int[0] : rows.get(i);
      int best = -1;
      float bestScore = Float.NEGATIVE_INFINITY;
      for (int k = seq.length - 1; k >= 0; k--) {
        float score = network.logit(target, aloneStates[seq[k]]);
        if (best < 0 || score > bestScore) {
          best = seq[k];
          bestScore = score;
        }
      }
      out.add(best < 0 ? null : vocabulary.itemAt(best));
    }
    return out;
  }

  /** Fills {@link #aloneStates} for these rows, dropping it first if the weights changed. */
  private void readAloneStates(List<int[]> rows) {
    if (aloneStatesAt != network.changes() || aloneStates.length != network.capacity()) {
      aloneStates = new float[network.capacity()][];
      aloneStatesAt = network.changes();
    }
    Set<Integer> missing = new LinkedHashSet<>();
    for (int[] seq : rows) {
      for (int row : seq) {
        if (aloneStates[row] == null) {
          missing.add(row);
        }
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<List<String>> alone = new ArrayList<>(missing.size());
    missing.forEach(row -> alone.add(List.of(vocabulary.itemAt(row))));
    List<SequenceState> after = states(alone);
    int j = 0;
    for (int row : missing) {
      float[] hidden = new float[network.hiddenSize()];
      after.get(j++).copyHidden(hidden, 0);
      aloneStates[row] = hidden;
    }
  }

  /**
   * Each state after one more item, in one batch: one LSTM step instead of a re-read of the
   * history. An item the model has no row for leaves the state as it is (a re-read would skip it
   * too); a null state starts fresh, as a history of that one item would.
   */
  @Override
  public List<SequenceState> step(List<SequenceState> states, List<String> items) {
    if (states.size() != items.size()) {
      throw new IllegalArgumentException(
          "one item per state: " + states.size() + " states, " + items.size() + " items");
    }
    int h = network.hiddenSize();
    List<SequenceState> out = new ArrayList<>(states);
    List<Integer> stepped = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i) != null) {
        requireFits(states.get(i));
      }
      if (vocabulary.rowOf(items.get(i)) >= 0) {
        stepped.add(i);
      }
    }
    int chunk = Math.max(1, config.maxBatchSize());
    for (int from = 0; from < stepped.size(); from += chunk) {
      List<Integer> part = stepped.subList(from, Math.min(stepped.size(), from + chunk));
      int lanes = part.size();
      SequenceBatch batch = SequenceBatch.empty(1, lanes, 0);
      float[] h0 = new float[lanes * h];
      float[] c0 = new float[lanes * h];
      for (int lane = 0; lane < lanes; lane++) {
        int i = part.get(lane);
        batch.inputs()[lane] = vocabulary.rowOf(items.get(i));
        SequenceState state = states.get(i);
        if (state != null) {
          batch.keep()[lane] = 1f;
          state.copyHidden(h0, lane * h);
          state.copyCell(c0, lane * h);
        }
      }
      float[][] hc = network.finalStates(batch, h0, c0);
      for (int lane = 0; lane < lanes; lane++) {
        out.set(part.get(lane), stateOf(hc, lane));
      }
    }
    return out;
  }

  private SequenceState requireFits(SequenceState state) {
    if (state.size() != network.hiddenSize()) {
      throw new IllegalArgumentException(
          "a state of size "
              + state.size()
              + " does not fit a model of hidden size "
              + network.hiddenSize());
    }
    return state;
  }

  private SequenceState stateOf(float[][] hc, int lane) {
    int h = network.hiddenSize();
    return new SequenceState(
        Arrays.copyOfRange(hc[0], lane * h, (lane + 1) * h),
        Arrays.copyOfRange(hc[1], lane * h, (lane + 1) * h));
  }

  /**
   * Scores of one batch of states, {@code [lane * capacity + row]}, one lane per non-null state
   * ({@code laneOf[state]}, -1 for none): no per-user copies on the serving path.
   */
  private record LaneScores(float[] scores, int[] laneOf) {}

  private LaneScores laneScores(List<SequenceState> states) {
    int h = network.hiddenSize();
    int[] laneOf = new int[states.size()];
    int lanes = 0;
    for (int i = 0; i < states.size(); i++) {
      laneOf[i] = states.get(i) != null ? lanes++ : -1;
    }
    if (lanes == 0) {
      return new LaneScores(new float[0], laneOf);
    }
    float[] hidden = new float[lanes * h];
    for (int i = 0; i < states.size(); i++) {
      if (laneOf[i] >= 0) {
        requireFits(states.get(i)).copyHidden(hidden, laneOf[i] * h);
      }
    }
    return new LaneScores(network.scores(hidden, lanes), laneOf);
  }

  @Override
  public List<List<RecommendedItem>> recommend(List<List<String>> histories, int k) {
    return recommend(states(histories), histories, k);
  }

  /**
   * The top {@code k} items after each state, best first, without the items of {@code
   * excluded.get(i)} (a user's history); a null state gets an empty list. Ties go to the lower row,
   * as in {@link #recommend(List, int)}.
   */
  public List<List<RecommendedItem>> recommend(
      List<SequenceState> states, List<? extends Collection<String>> excluded, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be > 0, got " + k);
    }
    if (states.size() != excluded.size()) {
      throw new IllegalArgumentException(
          "one exclusion list per state: " + states.size() + " vs " + excluded.size());
    }
    Retrieval candidates = retrieval;
    if (candidates != null) {
      return recommendByRetrieval(candidates, states, excluded, k);
    }
    List<List<RecommendedItem>> out = new ArrayList<>(states.size());
    int cap = network.capacity();
    // Chunks bound the score matrix: 256 x 100k items is 100 MB.
    int chunk = Math.min(256, Math.max(1, config.maxBatchSize()));
    for (int from = 0; from < states.size(); from += chunk) {
      int to = Math.min(states.size(), from + chunk);
      LaneScores scored = laneScores(states.subList(from, to));
      float[] scores = scored.scores();
      for (int i = from; i < to; i++) {
        int lane = scored.laneOf()[i - from];
        if (lane < 0) {
          out.add(List.of());
          continue;
        }
        int offset = lane * cap;
        for (String item : excluded.get(i)) {
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

  /**
   * {@link #recommend(List, List, int)} through the index: each user's candidates (the index's
   * proposals and the items it does not represent) are scored exactly with the current weights, so
   * only what is ranked, not how, is approximate.
   */
  private List<List<RecommendedItem>> recommendByRetrieval(
      Retrieval candidates,
      List<SequenceState> states,
      List<? extends Collection<String>> excluded,
      int k) {
    List<List<RecommendedItem>> out = new ArrayList<>(states.size());
    ItemVectors items = itemVectors();
    int h = network.hiddenSize();
    // The items the graph does not cover, and the leaders, are scored for every user in one
    // matrix product.
    int[] exact = candidates.exactRows();
    int lanes = 0;
    for (SequenceState state : states) {
      lanes += state != null ? 1 : 0;
    }
    float[] hidden = new float[lanes * h];
    int lane = 0;
    for (SequenceState state : states) {
      if (state != null) {
        requireFits(state).copyHidden(hidden, h * lane++);
      }
    }
    float[] exactScores = network.scoresOf(hidden, lanes, exact);
    int itemRows = items.rows();
    lane = 0;
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i) == null) {
        out.add(List.of());
        continue;
      }
      float[] query = Arrays.copyOfRange(hidden, lane * h, (lane + 1) * h);
      int[] seen = seenRows(excluded.get(i));
      int[] proposed =
          candidates.indexedCandidates(
              query, candidates.settings().candidates() + seen.length, items);
      float[] proposedScores = new float[proposed.length];
      for (int c = 0; c < proposed.length; c++) {
        proposedScores[c] = proposed[c] < itemRows ? items.logit(proposed[c], query) : EXCLUDED;
      }
      // Each part's own top k, then the best k of those: the exact rows can be tens of thousands
      // between graphs, and TopK tests whether a row may be ranked (active, not seen) only for
      // the few that beat its current k-th score.
      int[] fromIndex =
          TopK.best(
              proposedScores, 0, proposed.length, k, c -> rankable(proposed[c], itemRows, seen));
      int exactFrom = lane * exact.length;
      int[] fromExact =
          TopK.best(
              exactScores, exactFrom, exact.length, k, j -> rankable(exact[j], itemRows, seen));
      int[] rows = new int[fromIndex.length + fromExact.length];
      float[] scores = new float[rows.length];
      for (int c = 0; c < fromIndex.length; c++) {
        rows[c] = proposed[fromIndex[c]];
        scores[c] = proposedScores[fromIndex[c]];
      }
      for (int j = 0; j < fromExact.length; j++) {
        rows[fromIndex.length + j] = exact[fromExact[j] - exactFrom];
        scores[fromIndex.length + j] = exactScores[fromExact[j]];
      }
      int[] best = TopK.best(scores, 0, rows.length, k, c -> true);
      RecommendedItem[] ranked = new RecommendedItem[best.length];
      for (int j = 0; j < best.length; j++) {
        ranked[j] = new RecommendedItem(vocabulary.itemAt(rows[best[j]]), scores[best[j]]);
      }
      out.add(List.of(ranked));
      lane++;
    }
    return out;
  }

  /**
   * Whether {@code row} (of {@code rows} item rows) may be recommended to a user who has seen
   * {@code seen} (sorted rows).
   */
  private boolean rankable(int row, int rows, int[] seen) {
    return row < rows && network.isActive(row) && Arrays.binarySearch(seen, row) < 0;
  }

  /** The rows of {@code items} the model knows, sorted. */
  private int[] seenRows(Collection<String> items) {
    int[] seen = vocabulary.knownRows(items);
    Arrays.sort(seen);
    return seen;
  }

  /**
   * What {@link #recommend(List, List, int)} would give without the index: the top {@code k} of
   * every active item, scored with the current weights, for each state (a null state gets an empty
   * list). Costs one pass over every output row per state (milliseconds at 10^5 items, tens of
   * milliseconds at 10^6): for checking the index path on a sample of its calls, not for serving.
   */
  public List<List<RecommendedItem>> recommendExhaustively(
      List<SequenceState> states, List<? extends Collection<String>> excluded, int k) {
    if (states.size() != excluded.size()) {
      throw new IllegalArgumentException(
          "one exclusion list per state: " + states.size() + " vs " + excluded.size());
    }
    // A plain loop, not the exhaustive path's product: that caches an ND4J copy of every output
    // row (0.5 GB at 10^6 items), which each delta would invalidate.
    ItemVectors items = itemVectors();
    int rows = items.rows();
    int h = network.hiddenSize();
    float[] query = new float[h];
    float[] scores = new float[rows];
    List<List<RecommendedItem>> out = new ArrayList<>(states.size());
    for (int i = 0; i < states.size(); i++) {
      if (states.get(i) == null) {
        out.add(List.of());
        continue;
      }
      requireFits(states.get(i)).copyHidden(query, 0);
      for (int row = 0; row < rows; row++) {
        scores[row] = items.logit(row, query);
      }
      for (String item : excluded.get(i)) {
        int row = vocabulary.rowOf(item);
        if (row >= 0 && row < rows) {
          scores[row] = EXCLUDED;
        }
      }
      out.add(topK(scores, 0, rows, k));
    }
    return out;
  }

  /** The score of an item the history holds: below every real and every free row's score. */
  private static final float EXCLUDED = Float.NEGATIVE_INFINITY;

  /** The best {@code k} rankable rows of {@code scores[offset, offset + rows)}, best first. */
  private List<RecommendedItem> topK(float[] scores, int offset, int rows, int k) {
    int[] best =
        TopK.best(
            scores,
            offset,
            rows,
            k,
            row -> scores[offset + row] != EXCLUDED && network.isActive(row));
    RecommendedItem[] items = new RecommendedItem[best.length];
    for (int i = 0; i < best.length; i++) {
      items[i] = new RecommendedItem(vocabulary.itemAt(best[i] - offset), scores[best[i]]);
    }
    return List.of(items);
  }

  /** Holds no native memory between calls (ND4J arrays are per call or cached and GC-owned). */
  @Override
  public void close() {
    network.invalidate();
  }
}
