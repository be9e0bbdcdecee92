package io.recsys.model.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CooccurrenceWeightsTest {
  private final CooccurrenceWeights weights = new CooccurrenceWeights(3, 0.5, 0.25, 10, 0.5);

  @Test
  void shouldPairTheNewItemWithEachPreviousItemInTheWindowWeightedByDistance() {
    Map<String, Map<String, Double>> pairs = weights.pairs(List.of("a", "b", "c", "d"), "e", 2.0);

    // Rows of the previous items, newest first: d (1 step), c (2), b (3); a is out of the window.
    assertThat(pairs.keySet()).containsExactly("d", "c", "b", "e");
    assertThat(pairs.get("d")).containsOnlyKeys("e");
    assertThat(pairs.get("d").get("e")).isCloseTo(2.0, within(1e-12));
    assertThat(pairs.get("c").get("e")).isCloseTo(1.0, within(1e-12));
    assertThat(pairs.get("b").get("e")).isCloseTo(0.5, within(1e-12));
    // The new item's own row looks back, at a quarter of the forward weight.
    assertThat(pairs.get("e")).containsOnlyKeys("d", "c", "b");
    assertThat(pairs.get("e").get("d")).isCloseTo(0.5, within(1e-12));
    assertThat(pairs.get("e").get("b")).isCloseTo(0.125, within(1e-12));
  }

  @Test
  void shouldNeverPairAnItemWithItselfAndShouldAddRepeatsUp() {
    Map<String, Map<String, Double>> pairs = weights.pairs(List.of("x", "e", "x"), "e", 1.0);

    assertThat(pairs.keySet()).containsExactly("x", "e");
    assertThat(pairs.get("x").get("e")).isCloseTo(1.0 + 0.25, within(1e-12));
    assertThat(pairs.get("e")).containsOnlyKeys("x");
  }

  @Test
  void shouldMakeNoPairsForAFirstItem() {
    assertThat(weights.pairs(List.<String>of(), "a", 1.0)).isEmpty();
  }

  @Test
  void shouldLeaveOutBackwardPairsWhenTheirWeightIsZero() {
    CooccurrenceWeights forwardOnly = new CooccurrenceWeights(2, 0.7, 0.0, 10, 0.5);

    assertThat(forwardOnly.pairs(List.of("a", "b"), "c", 1.0).keySet()).containsExactly("b", "a");
  }

  @Test
  void shouldRejectWeightsOutsideTheirRange() {
    assertThatThrownBy(() -> new CooccurrenceWeights(0, 0.7, 0.5, 10, 0.5))
        .hasMessageContaining("window");
    assertThatThrownBy(() -> new CooccurrenceWeights(5, 1.5, 0.5, 10, 0.5))
        .hasMessageContaining("distanceDecay");
    assertThatThrownBy(() -> new CooccurrenceWeights(5, 0.7, -0.1, 10, 0.5))
        .hasMessageContaining("backwardWeight");
  }

  @Test
  void shouldWeighOlderItemsOfTheUserLess() {
    assertThat(weights.age(0)).isEqualTo(1.0);
    assertThat(weights.age(2)).isCloseTo(0.25, within(1e-12));
  }
}
