package io.recsys.model.retrieval;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which items to score exactly for a user: those the {@link ItemIndex} proposes, plus every item
 * the index does not represent faithfully any more (added, or drifted beyond {@link
 * IndexSettings#driftTolerance()} since the graph was built), which are few between rebuilds.
 * Immutable: each model version gets its own, derived from its predecessor's by the rows that
 * changed, so that serving reads one consistent pair of weights and candidates.
 */
public final class Retrieval {
  private final ItemIndex index;
  private final IndexSettings settings;
  private final BitSet unindexed;
  private final int unindexedCount;
  private volatile int[] unindexedRows;
  private final RecallTally recall;

  private Retrieval(ItemIndex index, IndexSettings settings, BitSet unindexed, RecallTally recall) {
    this.index = index;
    this.recall = recall;
    this.settings = settings;
    this.unindexed = unindexed;
    this.unindexedCount = unindexed.cardinality();
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
    requireWidth(index, items);
    BitSet unindexed = new BitSet(items.rows());
    for (int row = 0; row < items.rows(); row++) {
      mark(index, items, settings, unindexed, row);
    }
    return new Retrieval(index, settings, unindexed, recall);
  }

  /**
   * Retrieval for the next version of the model, {@code items}, which differs from this one's only
   * in {@code changedRows} (a delta's rows): compares only those.
   */
  public Retrieval following(ItemVectors items, int[] changedRows) {
    requireWidth(index, items);
    BitSet next = (BitSet) unindexed.clone();
    for (int row : changedRows) {
      if (row >= 0 && row < items.rows()) {
        next.clear(row);
        mark(index, items, settings, next, row);
      }
    }
    return new Retrieval(index, settings, next, recall);
  }

  private static void mark(
      ItemIndex index, ItemVectors items, IndexSettings settings, BitSet set, int row) {
    if (items.active().test(row) && index.drift(items, row) > settings.driftTolerance()) {
      set.set(row);
    }
  }

  private static void requireWidth(ItemIndex index, ItemVectors items) {
    if (index.width() != items.width()) {
      throw new IllegalArgumentException(
          "index built for hidden width " + index.width() + ", model has " + items.width());
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
    return unindexedCount > settings.rebuildFraction() * Math.max(1, index.size());
  }

  /** The items the graph does not represent, in row order: score them for every user. */
  public int[] unindexedRows() {
    int[] rows = unindexedRows;
    if (rows == null) {
      rows = unindexed.stream().toArray();
      unindexedRows = rows;
    }
    return rows;
  }

  /**
   * The index's best {@code n} rows for {@code hidden} (the graph walked with the scores of {@code
   * current}, the model's weights now) that are not among {@link #unindexedRows()}; a row may be
   * inactive by now (the caller filters).
   */
  public int[] indexedCandidates(float[] hidden, int n, ItemVectors current) {
    int[] fromIndex = index.search(hidden, n, current);
    int c = 0;
    for (int row : fromIndex) {
      if (!unindexed.get(row)) {
        fromIndex[c++] = row;
      }
    }
    return c == fromIndex.length ? fromIndex : Arrays.copyOf(fromIndex, c);
  }

  /**
   * Candidate rows for {@code hidden}: {@link #indexedCandidates} by the indexed vectors, then
   * every unindexed row; each appears once.
   */
  public int[] candidates(float[] hidden, int n) {
    int[] proposed = indexedCandidates(hidden, n, null);
    int[] rest = unindexedRows();
    int[] all = Arrays.copyOf(proposed, proposed.length + rest.length);
    System.arraycopy(rest, 0, all, proposed.length, rest.length);
    return all;
  }
}
