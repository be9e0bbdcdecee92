package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.strategy.CooccurrenceWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CooccurrenceChoiceTest {
  private static final int ITEMS = 8;

  @Test
  void shouldKeepBackwardPairsWhereTheNextItemUsuallyCameBefore() {
    List<int[]> train = new ArrayList<>();
    add(train, 50, 1, 2); // 1 comes before 2: only a backward pair leads from 2 to 1
    add(train, 100, 4, 5); // more popular than 1, so popularity alone ranks 1 third
    int probes = add(train, 20, 3, 2);
    int[] targets = targets(train.size(), probes, 1);

    CooccurrenceWeights chosen =
        CooccurrenceChoice.choose(train, ITEMS, targets, CooccurrenceWeights.DEFAULT);

    assertThat(chosen.backwardWeight()).isPositive();
    assertThat(chosen.withBackwardWeight(CooccurrenceWeights.DEFAULT.backwardWeight()))
        .isEqualTo(CooccurrenceWeights.DEFAULT);
  }

  @Test
  void shouldDropBackwardPairsWhereTheyOutweighWhatFollows() {
    List<int[]> train = new ArrayList<>();
    add(train, 200, 1, 2); // backward, 2 points to 1 with at least 0.25 x 200 = 50
    add(train, 30, 2, 6); // forward, 2 points to 6 with 30: the probes' next item
    int probes = add(train, 20, 7, 2);

    CooccurrenceWeights chosen =
        CooccurrenceChoice.choose(
            train, ITEMS, targets(train.size(), probes, 6), CooccurrenceWeights.DEFAULT);

    assertThat(chosen.backwardWeight()).isZero();
  }

  /** Adds {@code users} copies of {@code sequence}; returns the index of the first. */
  private static int add(List<int[]> train, int users, int... sequence) {
    int first = train.size();
    for (int u = 0; u < users; u++) {
      train.add(sequence.clone());
    }
    return first;
  }

  /** Validation targets: {@code target} for the users from {@code from}, item 0 for the rest. */
  private static int[] targets(int users, int from, int target) {
    int[] targets = new int[users];
    Arrays.fill(targets, from, users, target);
    return targets;
  }
}
