package io.recsys.features;

import java.util.List;
import java.util.Objects;

/**
 * The value of the compacted {@code item-neighbours} topic (key = the item) and of every instance's
 * global store of it: the item's strongest co-occurrence neighbours when they were published.
 *
 * @param itemId the item
 * @param publishedAt wall-clock time of publication, epoch ms
 * @param neighbours the neighbours, best first, with {@link ForwardDecay} log sums of their pairs'
 *     weights ({@link ForwardDecay#valueAt} turns one into a weight at a time)
 */
public record ItemNeighbours(String itemId, long publishedAt, List<ItemScore> neighbours) {
  public ItemNeighbours {
    Objects.requireNonNull(itemId, "itemId");
    neighbours = List.copyOf(neighbours);
  }
}
