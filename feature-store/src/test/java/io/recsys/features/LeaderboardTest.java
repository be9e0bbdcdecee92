package io.recsys.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeaderboardTest {
  @Test
  void shouldKeepTheBestItemsInOrder() {
    Leaderboard board = new Leaderboard(2);
    board.offer("a", 1.0);
    board.offer("b", 3.0);
    board.offer("c", 2.0);

    assertThat(board.items()).extracting(ItemScore::itemId).containsExactly("b", "c");
  }

  @Test
  void shouldBreakTiesByItemId() {
    Leaderboard board = new Leaderboard(3);
    board.offer("z", 1.0);
    board.offer("a", 1.0);

    assertThat(board.items()).extracting(ItemScore::itemId).containsExactly("a", "z");
  }

  @Test
  void shouldMatchAFullSortWhenScoresOnlyGrow() {
    SplittableRandom random = new SplittableRandom(7);
    Map<String, Double> scores = new HashMap<>();
    Leaderboard board = new Leaderboard(10);
    for (int step = 0; step < 20_000; step++) {
      String item = "i" + (int) Math.floor(Math.pow(random.nextDouble(), 3) * 500);
      double score = scores.merge(item, random.nextDouble(), Double::sum);
      board.offer(item, score);
    }

    List<String> expected =
        scores.entrySet().stream()
            .map(e -> new ItemScore(e.getKey(), e.getValue()))
            .sorted(ItemScore.BEST_FIRST)
            .limit(10)
            .map(ItemScore::itemId)
            .toList();
    assertThat(board.items()).extracting(ItemScore::itemId).isEqualTo(expected);
  }

  @Test
  void shouldReportChangesOnce() {
    Leaderboard board = new Leaderboard(1);
    assertThat(board.pollChanged()).isFalse();
    board.offer("a", 2.0);
    assertThat(board.pollChanged()).isTrue();
    assertThat(board.pollChanged()).isFalse();
    board.offer("b", 1.0);
    assertThat(board.pollChanged()).isFalse();
  }
}
