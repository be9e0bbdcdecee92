package io.recsys.features;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The exact top {@code capacity} items by score of a stream of score updates, in memory.
 *
 * <p>Exact because forward-decayed scores never decrease: an item outside the board had a score no
 * higher than the board's minimum when it was last offered, and the minimum only rises. Not
 * thread-safe; one per stream task.
 */
public final class Leaderboard {
  private final int capacity;
  private final TreeSet<ItemScore> ranked = new TreeSet<>(ItemScore.BEST_FIRST);
  private final Map<String, ItemScore> byItem = new HashMap<>();
  private boolean changed;

  public Leaderboard(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Records the item's current score. */
  public void offer(String itemId, double logScore) {
    ItemScore previous = byItem.get(itemId);
    if (previous == null && ranked.size() >= capacity && logScore <= ranked.last().logScore()) {
      return;
    }
    if (previous != null) {
      ranked.remove(previous);
    }
    ItemScore entry = new ItemScore(itemId, logScore);
    ranked.add(entry);
    byItem.put(itemId, entry);
    if (ranked.size() > capacity) {
      byItem.remove(ranked.pollLast().itemId());
    }
    changed = true;
  }

  /** Best first. */
  public List<ItemScore> items() {
    return new ArrayList<>(ranked);
  }

  public int size() {
    return ranked.size();
  }

  /** True if the board changed since the last call, which resets the flag. */
  public boolean pollChanged() {
    boolean result = changed;
    changed = false;
    return result;
  }
}
