package io.recsys.app.pipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.features.ItemNeighbours;
import io.recsys.features.ItemScore;
import io.recsys.model.strategy.CooccurrenceWeights;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CooccurrenceRecommenderTest {
  private static final long HALF_LIFE = 1000L * 3600 * 24 * 365;
  private final CooccurrenceRecommender recommender =
      new CooccurrenceRecommender(new CooccurrenceWeights(5, 0.7, 0.5, 2, 0.5), HALF_LIFE);

  /** A neighbour row whose weights read as {@code weight} at time 0. */
  private static ItemNeighbours row(String item, Object... neighbourWeights) {
    List<ItemScore> scores = new java.util.ArrayList<>();
    for (int i = 0; i < neighbourWeights.length; i += 2) {
      scores.add(
          new ItemScore((String) neighbourWeights[i], Math.log((Double) neighbourWeights[i + 1])));
    }
    return new ItemNeighbours(item, 0L, scores);
  }

  @Test
  void shouldAddUpTheNeighboursOfTheNewestItemsNewestWeighingMost() {
    Map<String, ItemNeighbours> rows =
        Map.of(
            "a", row("a", "x", 4.0, "y", 1.0),
            "b", row("b", "y", 3.0, "z", 2.0),
            "old", row("old", "w", 100.0));

    Recommendation list =
        recommender.recommend(rows::get, "u1", List.of("old", "a", "b"), item -> false, 3, 0L, 5L);

    // b is newest (weight 1), a one step back (0.5); "old" is beyond the 2 newest items.
    assertThat(list.strategy()).isEqualTo(Strategy.COOCCURRENCE);
    assertThat(list.items()).extracting(ScoredItem::itemId).containsExactly("y", "x", "z");
    assertThat(list.items().get(0).score()).isCloseTo(3.0 + 0.5, within(1e-9));
    assertThat(list.reason()).isEqualTo("often chosen with b");
    assertThat(list.computedAt()).isEqualTo(5L);
  }

  @Test
  void shouldLeaveOutSeenItemsAndMakeNoListWithoutNeighbours() {
    Map<String, ItemNeighbours> rows = Map.of("a", row("a", "x", 4.0, "y", 1.0));

    Recommendation list =
        recommender.recommend(rows::get, "u1", List.of("a"), "x"::equals, 3, 0L, 0L);
    assertThat(list.items()).extracting(ScoredItem::itemId).containsExactly("y");
    assertThat(recommender.recommend(rows::get, "u1", List.of("a"), item -> true, 3, 0L, 0L))
        .isNull();
    assertThat(recommender.recommend(rows::get, "u1", List.of("q"), item -> false, 3, 0L, 0L))
        .isNull();
  }
}
