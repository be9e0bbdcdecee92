package io.recsys.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * External item ids to model rows, one row per id (no hashing, so no collisions). Rows are handed
 * out lowest free first, so a given event order always yields the same rows. Not thread-safe: the
 * owning model serialises access.
 */
public final class ItemVocabulary {
  /** Told about row lifecycle so that the network can grow and (re)initialise rows. */
  interface RowListener {
    void grown(int newCapacity);

    void assigned(int row);

    void released(int row);
  }

  private final VocabularyConfig config;
  private final Map<String, Integer> rowOf = new HashMap<>();
  private final Map<String, long[]> pending = new HashMap<>(); // id -> {count, lastSeenMs}
  private final TreeSet<Integer> freeRows = new TreeSet<>();
  private String[] itemAt;
  private long[] counts;
  private long[] lastSeenMs;
  private int highWater;
  private long clockMs;
  private RowListener listener;

  ItemVocabulary(VocabularyConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.itemAt = new String[config.initialCapacity()];
    this.counts = new long[config.initialCapacity()];
    this.lastSeenMs = new long[config.initialCapacity()];
  }

  void setListener(RowListener listener) {
    this.listener = listener;
  }

  public VocabularyConfig config() {
    return config;
  }

  /** Rows allocated, used or not. */
  public int capacity() {
    return itemAt.length;
  }

  /** Items that hold a row. */
  public int size() {
    return rowOf.size();
  }

  /** The item's row, or -1 if it has none (never seen, not yet admitted, or expired). */
  public int rowOf(String itemId) {
    Integer row = rowOf.get(itemId);
    return row == null ? -1 : row;
  }

  /** The rows of those of {@code items} that have one, in their order. */
  public int[] knownRows(Collection<String> items) {
    int[] rows = new int[items.size()];
    int n = 0;
    for (String item : items) {
      int row = rowOf(item);
      if (row >= 0) {
        rows[n++] = row;
      }
    }
    return n == rows.length ? rows : Arrays.copyOf(rows, n);
  }

  /** The item holding {@code row}, or null for a free row. */
  public String itemAt(int row) {
    return row >= 0 && row < itemAt.length ? itemAt[row] : null;
  }

  /** The latest event time observed. */
  long clockMs() {
    return clockMs;
  }

  /** How often the row's current item has been observed. */
  public long count(int row) {
    return counts[row];
  }

  /**
   * Records one sighting and returns the item's row, admitting it once it has been seen {@link
   * VocabularyConfig#minCount()} times; -1 while it is not admitted.
   */
  int observe(String itemId, long eventTimeMs) {
    // An unknown time (0) counts as the latest time seen, so that it never looks expired.
    clockMs = Math.max(clockMs, eventTimeMs);
    long timeMs = eventTimeMs > 0 ? eventTimeMs : clockMs;
    Integer row = rowOf.get(itemId);
    if (row != null) {
      counts[row]++;
      lastSeenMs[row] = Math.max(lastSeenMs[row], timeMs);
      return row;
    }
    long[] p = pending.computeIfAbsent(itemId, id -> new long[2]);
    p[0]++;
    p[1] = Math.max(p[1], timeMs);
    if (p[0] < config.minCount()) {
      return -1;
    }
    pending.remove(itemId);
    int r = allocate(itemId);
    counts[r] = p[0];
    lastSeenMs[r] = p[1];
    return r;
  }

  private int allocate(String itemId) {
    int row;
    if (!freeRows.isEmpty()) {
      row = freeRows.pollFirst();
    } else {
      if (highWater == itemAt.length) {
        // Geometric beyond 8 chunks: growing copies every table, so at 10^6 rows a fixed chunk
        // would copy gigabytes per thousand new items.
        int newCapacity =
            Math.addExact(itemAt.length, Math.max(config.growthChunk(), itemAt.length / 8));
        itemAt = Arrays.copyOf(itemAt, newCapacity);
        counts = Arrays.copyOf(counts, newCapacity);
        lastSeenMs = Arrays.copyOf(lastSeenMs, newCapacity);
        if (listener != null) {
          listener.grown(newCapacity);
        }
      }
      row = highWater++;
    }
    itemAt[row] = itemId;
    rowOf.put(itemId, row);
    if (listener != null) {
      listener.assigned(row);
    }
    return row;
  }

  /**
   * Releases the rows of items last seen before {@code nowMs - expireAfterMs} and forgets pending
   * items as old; returns the expired ids in row order. No-op when expiry is off.
   */
  List<String> expire(long nowMs) {
    if (config.expireAfterMs() == 0) {
      return new ArrayList<>();
    }
    return expireBefore(nowMs - config.expireAfterMs());
  }

  /**
   * Releases the rows of the items seen least recently until at most {@code maxItems} hold rows
   * (items last seen at the same time go together, so a few more may go); returns the expired ids
   * in row order.
   */
  List<String> expireBeyond(int maxItems) {
    int excess = size() - maxItems;
    if (excess <= 0) {
      return new ArrayList<>();
    }
    long[] seen = new long[size()];
    int n = 0;
    for (int row = 0; row < highWater; row++) {
      if (itemAt[row] != null) {
        seen[n++] = lastSeenMs[row];
      }
    }
    Arrays.sort(seen, 0, n);
    return expireBefore(seen[excess - 1] + 1);
  }

  /**
   * Releases the rows of items last seen before {@code cutoff} and forgets pending items as old;
   * returns the expired ids in row order.
   */
  List<String> expireBefore(long cutoff) {
    List<String> expired = new ArrayList<>();
    for (int row = 0; row < highWater; row++) {
      String id = itemAt[row];
      if (id != null && lastSeenMs[row] < cutoff) {
        expired.add(id);
        rowOf.remove(id);
        itemAt[row] = null;
        counts[row] = 0;
        lastSeenMs[row] = 0;
        freeRows.add(row);
        if (listener != null) {
          listener.released(row);
        }
      }
    }
    pending.values().removeIf(p -> p[1] < cutoff);
    return expired;
  }

  /**
   * Adds free rows up to {@code newCapacity} without telling the listener: for a serving copy that
   * follows a trainer's growth (the network grows by itself).
   */
  void growTo(int newCapacity) {
    if (newCapacity > itemAt.length) {
      itemAt = Arrays.copyOf(itemAt, newCapacity);
      counts = Arrays.copyOf(counts, newCapacity);
      lastSeenMs = Arrays.copyOf(lastSeenMs, newCapacity);
    }
  }

  /**
   * Puts {@code itemId} in {@code row} (null frees it), replacing whatever held it, without telling
   * the listener: for a serving copy that takes its rows from the trainer's.
   */
  void assign(int row, String itemId) {
    String previous = itemAt[row];
    if (previous != null) {
      rowOf.remove(previous);
    }
    itemAt[row] = itemId;
    if (itemId == null) {
      if (row < highWater) {
        freeRows.add(row);
      }
      return;
    }
    Integer old = rowOf.put(itemId, row);
    if (old != null && old != row) {
      itemAt[old] = null; // the item moved rows: the trainer freed the old one
      freeRows.add(old);
    }
    freeRows.remove(row);
    for (int r = highWater; r < row; r++) {
      freeRows.add(r);
    }
    highWater = Math.max(highWater, row + 1);
  }

  // ---- persistence (used by Checkpoints) ----

  record State(
      String[] itemAt,
      long[] counts,
      long[] lastSeenMs,
      int highWater,
      Map<String, long[]> pending,
      long clockMs) {}

  State state() {
    Map<String, long[]> p = new HashMap<>();
    pending.forEach((k, v) -> p.put(k, v.clone()));
    return new State(itemAt.clone(), counts.clone(), lastSeenMs.clone(), highWater, p, clockMs);
  }

  static ItemVocabulary fromState(VocabularyConfig config, State s) {
    ItemVocabulary v = new ItemVocabulary(config);
    v.itemAt = s.itemAt().clone();
    v.counts = s.counts().clone();
    v.lastSeenMs = s.lastSeenMs().clone();
    v.highWater = s.highWater();
    v.clockMs = s.clockMs();
    for (int row = 0; row < v.highWater; row++) {
      if (v.itemAt[row] != null) {
        v.rowOf.put(v.itemAt[row], row);
      } else {
        v.freeRows.add(row);
      }
    }
    s.pending().forEach((k, val) -> v.pending.put(k, val.clone()));
    return v;
  }
}
