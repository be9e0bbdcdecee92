package io.recsys.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void shouldReturnTheBestRowsBestFirstWithTiesToTheLowerRow() {
    float[] scores = {0.5f, 0.9f, 0.5f, 0.1f, 0.9f};
    assertThat(TopK.best(scores, 0, 5, 3, row -> true)).containsExactly(1, 4, 0);
  }

  @Test
  void shouldSkipRowsThatAreNotRankableAndReturnFewerWhenFewerQualify() {
    float[] scores = {0.5f, 0.9f, 0.7f};
    assertThat(TopK.best(scores, 0, 3, 5, row -> row != 1)).containsExactly(2, 0);
  }

  @Test
  void shouldReadOnlyTheGivenSliceAndReturnPositionsInTheWholeArray() {
    float[] scores = {9f, 9f, 0.2f, 0.8f, 0.4f, 9f};
    assertThat(TopK.best(scores, 2, 3, 2, row -> true)).containsExactly(3, 4);
  }

  @Test
  void shouldAgreeWithAFullSortOnRandomScores() {
    SplittableRandom random = new SplittableRandom(5);
    float[] scores = new float[2000];
    for (int i = 0; i < scores.length; i++) {
      // Few distinct values, so that ties are common.
      scores[i] = random.nextInt(50) / 50f;
    }
    int[] expected =
        IntStream.range(0, scores.length)
            .boxed()
            .sorted(
                Comparator.<Integer>comparingDouble(i -> -scores[i])
                    .thenComparingInt(Integer::intValue))
            .limit(25)
            .mapToInt(Integer::intValue)
            .toArray();
    assertThat(TopK.best(scores, 0, scores.length, 25, row -> true))
        .isEqualTo(expected)
        .as(Arrays.toString(expected));
  }
}
