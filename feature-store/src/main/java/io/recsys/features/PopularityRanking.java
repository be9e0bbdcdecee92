package io.recsys.features;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/** One global ranking merged from every partition's {@link PopularitySnapshot}. Immutable. */
public final class PopularityRanking {
  public static final PopularityRanking EMPTY = new PopularityRanking(List.of());

  private final List<ItemScore> ranked;

  private PopularityRanking(List<ItemScore> ranked) {
    this.ranked = ranked;
  }

  /** Merges snapshots; items are partitioned by id, so no item appears in two snapshots. */
  public static PopularityRanking merge(Collection<PopularitySnapshot> snapshots) {
    ArrayList<ItemScore> all = new ArrayList<>();
    snapshots.forEach(snapshot -> all.addAll(snapshot.items()));
    all.sort(ItemScore.BEST_FIRST);
    return new PopularityRanking(List.copyOf(all));
  }

  /** The best {@code k} items for which {@code excluded} is false, best first. */
  public List<ItemScore> top(int k, Predicate<String> excluded) {
    ArrayList<ItemScore> result = new ArrayList<>(k);
    for (ItemScore candidate : ranked) {
      if (result.size() == k) {
        break;
      }
      if (!excluded.test(candidate.itemId())) {
        result.add(candidate);
      }
    }
    return result;
  }

  public int size() {
    return ranked.size();
  }
}
