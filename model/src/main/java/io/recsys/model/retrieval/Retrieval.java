package io.recsys.model.retrieval;

import io.recsys.model.internal.TopK;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Which items to score exactly for a user: those the {@link ItemIndex} proposes, plus every item
 * the index does not represent faithfully any more (added, or drifted beyond {@link
 * IndexSettings#driftTolerance()} since the graph was built), which are few between rebuilds, plus
 * the {@link IndexSettings#leaders()}: the items with the highest output bias when the graph was
 * built, the model's own prior, which a walk of a graph linked by inner product often fails to
 * reach on a densely trained model (docs/BENCHMARKS.md, "Catalogue scale"). Immutable: each model
 * version gets its own, derived from its predecessor's by the rows that changed, so that serving
 * reads one consistent pair of weights and candidates.
 */
public final class Retrieval {
  private final ItemIndex index;
  private final IndexSettings settings;
  private final BitSet unindexed;
  private final int unindexedCount;
  private final int[] leaders;
  private final BitSet exact; // unindexed or a leader
  private volatile int[] exactRows;
  private final RecallTally recall;

  private Retrieval(
      ItemIndex index,
      IndexSettings settings,
      BitSet unindexed,
      int[] leaders,
      RecallTally recall) {
    this.index = index;
    this.recall = recall;
    this.settings = settings;
    this.unindexed = unindexed;
    this.unindexedCount = unindexed.cardinality();
    this.leaders = leaders;
    this.exact = (BitSet) unindexed.clone();
    for (int row : leaders) {
      exact.set(row);
    }
  }

  /**
   * Retrieval over {@code index} for the model whose rows are {@code items}: compares every row.
   */
  public static Retrieval of(ItemIndex index, ItemVectors items, IndexSettings settings) {
    return of(index, items, settings, new RecallTally());
  }

  /** As {@link #of(ItemIndex, ItemVectors, IndexSettings)}, sampling recall into {@code recall}. */
  public static Retrieval of(
      ItemIndex index, ItemVectors items, IndexSettings settings, RecallTally recall) {
    index.requireWidthOf(items);
    BitSet unindexed = new BitSet(items.rows());
    for (int row = 0; row < items.rows(); row++) {
      mark(index, items, settings, unindexed, row);
    }
    int[] leaders =
        settings.leaders() == 0
            ? new int[0]
            : TopK.best(items.bias(), 0, items.rows(), settings.leaders(), items.active());
    return new Retrieval(index, settings, unindexed, leaders, recall);
  }

  /**
   * Retrieval for the next version of the model, {@code items}, which differs from this one's only
   * in {@code changedRows} (a delta's rows): compares only those.
   */
  public Retrieval following(ItemVectors items, int[] changedRows) {
    index.requireWidthOf(items);
    BitSet next = (BitSet) unindexed.clone();
    for (int row : changedRows) {
      if (row >= 0 && row < items.rows()) {
        next.clear(row);
        mark(index, items, settings, next, row);
      }
    }
    return new Retrieval(index, settings, next, leaders, recall);
  }

  private static void mark(
      ItemIndex index, ItemVectors items, IndexSettings settings, BitSet set, int row) {
    if (items.active().test(row) && index.drift(items, row) > settings.driftTolerance()) {
      set.set(row);
    }
  }

  public ItemIndex index() {
    return index;
  }

  /** Where the serving path records its sampled recall. */
  public RecallTally recall() {
    return recall;
  }

  public IndexSettings settings() {
    return settings;
  }

  /** Items scored exhaustively because the graph does not represent them. */
  public int unindexedCount() {
    return unindexedCount;
  }

  /** Whether enough items left the graph's picture that a rebuild pays. */
  public boolean wantsRebuild() {
    return unindexedCount > settings.rebuildFraction() * Math.max(1, index.items());
  }

  /**
   * The items to score for every user whatever the graph proposes, in row order: those it does not
   * represent and the leaders.
   */
  public int[] exactRows() {
    int[] rows = exactRows;
    if (rows == null) {
      rows = exact.stream().toArray();
      exactRows = rows;
    }
    return rows;
  }

  /**
   * The index's best {@code n} rows for {@code hidden} (the graph walked with the scores of {@code
   * current}, the model's weights now) that are not among {@link #exactRows()}; a row may be
   * inactive by now (the caller filters).
   */
  public int[] indexedCandidates(float[] hidden, int n, ItemVectors current) {
    int[] fromIndex = index.search(hidden, n, current);
    int c = 0;
    for (int row : fromIndex) {
      if (!exact.get(row)) {
        fromIndex[c++] = row;
      }
    }
    return c == fromIndex.length ? fromIndex : Arrays.copyOf(fromIndex, c);
  }

  /**
   * Candidate rows for {@code hidden}: {@link #indexedCandidates} by the indexed vectors, then
   * {@link #exactRows()}; each appears once.
   */
  public int[] candidates(float[] hidden, int n) {
    int[] proposed = indexedCandidates(hidden, n, null);
    int[] rest = exactRows();
    int[] all = Arrays.copyOf(proposed, proposed.length + rest.length);
    System.arraycopy(rest, 0, all, proposed.length, rest.length);
    return all;
  }
}
