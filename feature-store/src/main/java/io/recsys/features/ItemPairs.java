package io.recsys.features;

import java.util.Map;

/**
 * The value of the internal {@code item-pairs} topic (key = the item whose row the pairs update):
 * co-occurrence weight to add towards each neighbour, from one user's move to a new item. It names
 * no user: counts from a user who is later forgotten hold nothing that identifies them.
 *
 * @param eventTime the event time of the move, epoch ms
 * @param neighbours neighbour id to the weight of the pair
 */
public record ItemPairs(long eventTime, Map<String, Double> neighbours) {
  public ItemPairs {
    neighbours = Map.copyOf(neighbours);
  }
}
