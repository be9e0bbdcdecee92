package io.recsys.features;

import java.util.List;

/**
 * The most popular items of one partition of the item-keyed popularity store: the value of the
 * compacted {@code popularity-leaders} topic (key = partition number). Every instance reads all
 * partitions' snapshots into a global store and merges them, which gives each user partition a
 * global view without a central aggregator.
 *
 * @param partition the item partition these items come from
 * @param publishedAt wall-clock time (epoch ms) of publication
 * @param items best first, at most the configured leaderboard size
 */
public record PopularitySnapshot(int partition, long publishedAt, List<ItemScore> items) {
  public PopularitySnapshot {
    items = List.copyOf(items);
  }
}
