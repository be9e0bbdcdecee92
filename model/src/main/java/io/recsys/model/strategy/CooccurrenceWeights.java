package io.recsys.model.strategy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How item-to-item co-occurrence counts and reads pairs. When a user moves to item B, every item A
 * among the user's previous {@code window} items gains {@code distanceDecay^(d-1)} on the pair "B
 * followed A" (d = steps between them) and B gains {@code backwardWeight} times that on "A came
 * before B". A user's candidates are then scored from the neighbours of the user's newest {@code
 * recentItems} items, the item {@code age} steps back weighing {@code ageDecay^age}.
 *
 * <p>The defaults are the windowed co-occurrence of {@code shared/datasets/README.md}, the
 * reference a learned model has to beat on sparse catalogues.
 */
public record CooccurrenceWeights(
    int window, double distanceDecay, double backwardWeight, int recentItems, double ageDecay) {

  public static final CooccurrenceWeights DEFAULT = new CooccurrenceWeights(5, 0.7, 0.5, 10, 0.5);

  public CooccurrenceWeights {
    if (window < 1) {
      throw new IllegalArgumentException("window: must be >= 1, got " + window);
    }
    if (recentItems < 1) {
      throw new IllegalArgumentException("recentItems: must be >= 1, got " + recentItems);
    }
    requireShare("distanceDecay", distanceDecay);
    requireShare("ageDecay", ageDecay);
    if (!(backwardWeight >= 0 && backwardWeight <= 1)) {
      throw new IllegalArgumentException(
          "backwardWeight: must be in [0, 1], got " + backwardWeight);
    }
  }

  private static void requireShare(String name, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + ": must be in (0, 1], got " + value);
    }
  }

  /** These weights with {@code weight} for the backward pairs. */
  public CooccurrenceWeights withBackwardWeight(double weight) {
    return new CooccurrenceWeights(window, distanceDecay, weight, recentItems, ageDecay);
  }

  /** The weight of "B followed A" when B came {@code distance} (1..window) steps after A. */
  public double forward(int distance) {
    return Math.pow(distanceDecay, distance - 1);
  }

  /** The weight of "A came before B" at the same distance. */
  public double backward(int distance) {
    return backwardWeight * forward(distance);
  }

  /** The weight of the neighbours of the user's item {@code age} steps back (0: the newest). */
  public double age(int age) {
    return Math.pow(ageDecay, age);
  }

  /**
   * The pairs made when a user moves to {@code next} after {@code previous} (oldest first): per
   * item whose row they update, the weight towards each neighbour; a row's own item never pairs
   * with itself. Insertion order: the rows of the previous items newest first, then {@code next}'s.
   */
  public <T> Map<T, Map<T, Double>> pairs(List<T> previous, T next, double eventWeight) {
    Map<T, Map<T, Double>> rows = new LinkedHashMap<>();
    Map<T, Double> backwardRow = new LinkedHashMap<>();
    int reach = Math.min(window, previous.size());
    for (int distance = 1; distance <= reach; distance++) {
      T before = previous.get(previous.size() - distance);
      if (before.equals(next)) {
        continue;
      }
      rows.computeIfAbsent(before, b -> new LinkedHashMap<>())
          .merge(next, eventWeight * forward(distance), Double::sum);
      if (backwardWeight > 0) {
        backwardRow.merge(before, eventWeight * backward(distance), Double::sum);
      }
    }
    if (!backwardRow.isEmpty()) {
      rows.put(next, backwardRow);
    }
    return rows;
  }
}
