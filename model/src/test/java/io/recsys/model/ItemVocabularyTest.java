package io.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ItemVocabularyTest {
  @Test
  void shouldGiveDistinctRowsWithoutCollisions() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(4, 4, 1, 0));
    for (int i = 0; i < 1000; i++) {
      model.admit("id-" + i, i);
    }
    assertThat(model.vocabulary().size()).isEqualTo(1000);
    // Chunks of 4 while small, then an eighth of the rows at a time: never more than 1/8 spare.
    assertThat(model.vocabulary().capacity()).isBetween(1000, 1000 + 1000 / 8 + 4);
    for (int i = 0; i < 1000; i++) {
      assertThat(model.vocabulary().itemAt(model.vocabulary().rowOf("id-" + i)))
          .isEqualTo("id-" + i);
    }
  }

  @Test
  void shouldKeepOldItemsScoresUnchangedWhenGrowing() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(32, 16, 1, 0));
    SplittableRandom rng = new SplittableRandom(3);
    for (int b = 0; b < 20; b++) {
      model.train(SyntheticData.batch(rng, 32, 30, 4));
    }
    assertThat(model.vocabulary().capacity()).isEqualTo(32);
    List<List<String>> histories =
        List.of(SyntheticData.history(5, 4, 30), SyntheticData.history(17, 4, 30));
    float[][] before = model.scoreAll(histories);
    for (int i = 0; i < 10; i++) {
      model.admit("new-" + i, 0);
    }
    assertThat(model.vocabulary().capacity()).isEqualTo(48);
    float[][] after = model.scoreAll(histories);
    for (int h = 0; h < histories.size(); h++) {
      for (int row = 0; row < 30; row++) {
        assertThat(after[h][row]).isEqualTo(before[h][row]);
      }
    }
    // and training continues with the grown tables
    TrainingStats stats =
        model.train(List.of(new TrainingExample(List.of("item-1"), "new-3", 1.0)));
    assertThat(stats.examples()).isEqualTo(1);
  }

  @Test
  void shouldAdmitOnlyItemsSeenMinCountTimes() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(8, 8, 3, 0));
    assertThat(model.admit("x", 1)).isEqualTo(-1);
    assertThat(model.admit("x", 2)).isEqualTo(-1);
    assertThat(model.vocabulary().rowOf("x")).isEqualTo(-1);
    assertThat(model.admit("x", 3)).isEqualTo(0);
    assertThat(model.vocabulary().count(0)).isEqualTo(3);
  }

  @Test
  void shouldExpireUnseenItemsAndReuseTheirRowsFreshly() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(8, 8, 1, 1000));
    model.admit("old", 0);
    model.admit("fresh", 5000);
    List<String> expired = model.expireUnseen(5500);
    assertThat(expired).containsExactly("old");
    assertThat(model.vocabulary().rowOf("old")).isEqualTo(-1);
    assertThat(model.vocabulary().size()).isEqualTo(1);
    // the freed row 0 goes to the next new item, and is not recommended while free
    List<List<RecommendedItem>> recs = model.recommend(List.of(List.of("fresh")), 5);
    assertThat(recs.get(0)).isEmpty();
    assertThat(model.admit("newcomer", 5600)).isZero();
    assertThat(model.recommend(List.of(List.of("fresh")), 5).get(0))
        .extracting(RecommendedItem::itemId)
        .containsExactly("newcomer");
  }

  @Test
  void shouldExpireItemsUnseenForAPeriodBeforeTheLatestEventWhateverTheVocabularysOwnExpiry() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(8, 8, 1, 0));
    model.admit("old", 1_000);
    model.admit("recent", 8_000);
    model.admit("latest", 10_000);

    assertThat(model.expireUnseenFor(20_000)).isEmpty();
    assertThat(model.expireUnseenFor(5_000)).containsExactly("old");
    assertThat(model.vocabulary().rowOf("recent")).isNotNegative();
    assertThat(model.vocabulary().size()).isEqualTo(2);
  }

  @Test
  void shouldKeepAtMostTheMostRecentlySeenItems() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(8, 8, 1, 0));
    model.admit("a", 4_000);
    model.admit("b", 1_000);
    model.admit("c", 3_000);
    model.admit("d", 2_000);

    assertThat(model.expireBeyond(4)).isEmpty();
    assertThat(model.expireBeyond(2)).containsExactlyInAnyOrder("b", "d");
    assertThat(model.vocabulary().size()).isEqualTo(2);
    assertThat(model.vocabulary().rowOf("a")).isNotNegative();
    assertThat(model.vocabulary().rowOf("c")).isNotNegative();
  }

  @Test
  void shouldSkipExamplesWhoseTargetIsNotAdmittedYet() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(8, 8, 2, 0));
    List<TrainingExample> batch = new ArrayList<>();
    batch.add(new TrainingExample(List.of("a"), "b", 1.0));
    TrainingStats first = model.train(batch);
    assertThat(first.skipped()).isEqualTo(1);
    assertThat(first.updateCount()).isZero();
  }

  @Test
  void shouldTreatUnknownEventTimeAsTheLatestTimeSeen() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX), new VocabularyConfig(8, 8, 1, 1000));
    model.admit("timed", 10_000);
    model.admit("untimed", 0);
    assertThat(model.expireUnseen(10_500)).isEmpty();
    assertThat(model.expireUnseen(11_500)).containsExactly("timed", "untimed");
  }
}
