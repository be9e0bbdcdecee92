package io.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NextItemModelTest {
  private static final int ITEMS = 100;

  private static double learnRule(LossType loss, int maxBatches) {
    NextItemModel model =
        NextItemModel.create(SyntheticData.smallConfig(loss), VocabularyConfig.defaults());
    SplittableRandom rng = new SplittableRandom(5);
    double hr = 0;
    for (int b = 1; b <= maxBatches; b++) {
      model.train(SyntheticData.batch(rng, 64, ITEMS, 4));
      if (b % 25 == 0) {
        hr = SyntheticData.hitRateAt10(model, ITEMS, 4);
        if (hr > 0.9) {
          return hr;
        }
      }
    }
    return hr;
  }

  @Test
  void shouldRankExactlyAsAFullSortOfTheScores() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(64, 64, 1, 0));
    SplittableRandom data = new SplittableRandom(21);
    for (int b = 0; b < 3; b++) {
      model.train(SyntheticData.batch(data, 64, 50, 4));
    }
    List<List<String>> histories =
        List.of(
            List.of("item-1", "item-2"),
            List.of("item-7", "item-30", "item-31"),
            SyntheticData.history(20, 4, 50));
    float[][] scores = model.scoreAll(histories);
    for (int k : new int[] {1, 5, 10, 60}) {
      List<List<RecommendedItem>> lists = model.recommend(histories, k);
      for (int h = 0; h < histories.size(); h++) {
        float[] s = scores[h];
        List<String> history = histories.get(h);
        List<String> expected =
            java.util.stream.IntStream.range(0, s.length)
                .boxed()
                .filter(row -> model.vocabulary().itemAt(row) != null)
                .filter(row -> !history.contains(model.vocabulary().itemAt(row)))
                .sorted((a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b))
                .limit(k)
                .map(row -> model.vocabulary().itemAt(row))
                .toList();
        assertThat(lists.get(h).stream().map(RecommendedItem::itemId).toList())
            .as("history %d, k %d", h, k)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void shouldLearnItemKFollowedByKPlusOneWithFullSoftmaxWithin400MicroBatches() {
    assertThat(learnRule(LossType.FULL_SOFTMAX, 400)).isGreaterThan(0.9);
  }

  @Test
  void shouldLearnTheRuleWithSampledSoftmaxToo() {
    assertThat(learnRule(LossType.SAMPLED_SOFTMAX, 600)).isGreaterThan(0.9);
  }

  @Test
  void shouldRemoveHistoryAndBreakTiesDeterministically() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), VocabularyConfig.defaults());
    for (int k = 0; k < 20; k++) {
      model.admit(SyntheticData.item(k, 20), 0);
    }
    model.train(SyntheticData.batch(new SplittableRandom(1), 64, 20, 4));
    List<String> history = List.of("item-3", "item-4", "item-5");
    List<RecommendedItem> recs = model.recommend(List.of(history), 30).get(0);
    assertThat(recs).extracting(RecommendedItem::itemId).doesNotContainAnyElementsOf(history);
    assertThat(recs).hasSize(17); // 20 items minus the 3 of the history
    for (int i = 1; i < recs.size(); i++) {
      assertThat(recs.get(i).score()).isLessThanOrEqualTo(recs.get(i - 1).score());
    }
    assertThat(model.recommend(List.of(history), 30).get(0)).isEqualTo(recs);
  }

  @Test
  void shouldReturnEmptyListForHistoryWithNoKnownItem() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), VocabularyConfig.defaults());
    model.train(SyntheticData.batch(new SplittableRandom(1), 8, 20, 4));
    assertThat(model.recommend(List.of(List.of("never-seen")), 5).get(0)).isEmpty();
  }

  @Test
  void shouldNameTheHistoryItemThatLeadsToTheTargetNotTheNewest() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), VocabularyConfig.defaults());
    SplittableRandom rng = new SplittableRandom(5);
    for (int b = 0; b < 300; b++) {
      model.train(SyntheticData.batch(rng, 64, ITEMS, 4)); // item k is followed by item k + 1
    }
    List<String> history = List.of("item-10", "item-40", "item-70");

    List<String> support =
        model.strongestSupport(
            List.of(history, history, history, history),
            List.of("item-11", "item-41", "item-71", "never-seen"));

    assertThat(support).containsExactly("item-10", "item-40", "item-70", null);
    assertThat(model.strongestSupport(List.of(List.of("never-seen")), List.of("item-11")))
        .containsExactly((String) null);
  }

  @Test
  void shouldNotKeepSupportStatesPastATrainingStep(@TempDir Path dir) throws Exception {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), VocabularyConfig.defaults());
    SplittableRandom rng = new SplittableRandom(9);
    model.train(SyntheticData.batch(rng, 64, ITEMS, 4));
    List<List<String>> histories = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      histories.add(SyntheticData.history(rng.nextInt(ITEMS), 6, ITEMS));
      targets.add(SyntheticData.item(rng.nextInt(ITEMS), ITEMS));
    }
    List<String> before = model.strongestSupport(histories, targets);

    for (int b = 0; b < 50; b++) {
      model.train(SyntheticData.batch(rng, 64, ITEMS, 4));
    }
    List<String> after = model.strongestSupport(histories, targets);

    // A reloaded copy has the same weights and nothing kept: the trained model must agree with it.
    model.save(dir.resolve("model.zip"));
    NextItemModel reloaded = NextItemModel.load(dir.resolve("model.zip"));
    assertThat(after).isEqualTo(reloaded.strongestSupport(histories, targets));
    assertThat(after).isNotEqualTo(before);
  }
}
