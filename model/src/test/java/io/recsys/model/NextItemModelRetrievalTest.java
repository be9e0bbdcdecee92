package io.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.retrieval.ItemIndex;
import io.recsys.model.retrieval.Retrieval;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NextItemModelRetrievalTest {
  private static final int ITEMS = 300;
  @TempDir Path dir;

  private static NextItemModel trained() {
    NextItemModel model =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.SAMPLED_SOFTMAX),
            new VocabularyConfig(64, 64, 1, 0));
    SplittableRandom data = new SplittableRandom(4);
    for (int b = 0; b < 30; b++) {
      model.train(SyntheticData.batch(data, 64, ITEMS, 5));
    }
    return model;
  }

  private static List<List<String>> histories() {
    List<List<String>> out = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      out.add(SyntheticData.history(7 * k, 5, ITEMS));
    }
    return out;
  }

  private static List<List<String>> ids(List<List<RecommendedItem>> lists) {
    return lists.stream().map(l -> l.stream().map(RecommendedItem::itemId).toList()).toList();
  }

  private NextItemModel servingCopy(NextItemModel model) throws IOException {
    Path file = dir.resolve("serving-" + model.updateCount() + ".zip");
    model.saveForServing(file);
    return NextItemModel.load(file);
  }

  @Test
  void shouldRankAsExhaustiveScoringWhenTheCandidatesCoverTheCatalogueAndNeverReturnSeenItems()
      throws IOException {
    NextItemModel served = servingCopy(trained());
    List<List<String>> histories = histories();
    List<List<RecommendedItem>> exhaustive = served.recommend(histories, 10);

    IndexSettings settings = new IndexSettings(1, 2 * ITEMS, 16, 100, 0.05, 0.05, 1L, 0);
    served.useRetrieval(
        Retrieval.of(
            ItemIndex.build(served.itemVectors(), settings), served.itemVectors(), settings));
    List<List<RecommendedItem>> indexed = served.recommend(histories, 10);

    assertThat(ids(indexed)).isEqualTo(ids(exhaustive));
    // The check of the index path scores every item whatever the index: the same lists.
    assertThat(ids(served.recommendExhaustively(served.states(histories), histories, 10)))
        .isEqualTo(ids(exhaustive));
    for (int i = 0; i < histories.size(); i++) {
      assertThat(ids(indexed).get(i)).hasSize(10).doesNotContainAnyElementsOf(histories.get(i));
    }
  }

  @Test
  void shouldRankTheExactlyScoredRowsAsExhaustiveScoringWithoutSeenItems() throws IOException {
    // Every item a leader, a graph of one candidate: the list comes from the exact rows, where a
    // seen item is left out only when it would otherwise rank.
    NextItemModel served = servingCopy(trained());
    List<List<String>> histories = histories();
    List<List<RecommendedItem>> exhaustive = served.recommend(histories, 10);

    IndexSettings settings = new IndexSettings(1, 1, 16, 100, 0.05, 0.05, 1L, 2 * ITEMS);
    served.useRetrieval(
        Retrieval.of(
            ItemIndex.build(served.itemVectors(), settings), served.itemVectors(), settings));
    List<List<RecommendedItem>> indexed = served.recommend(histories, 10);

    assertThat(indexed).isEqualTo(exhaustive);
    for (int i = 0; i < histories.size(); i++) {
      assertThat(ids(indexed).get(i)).hasSize(10).doesNotContainAnyElementsOf(histories.get(i));
    }
  }

  @Test
  void shouldCarryTheIndexThroughDeltasAndScoreMovedItemsWithTheNewWeights() throws IOException {
    NextItemModel trainer = trained();
    NextItemModel served = servingCopy(trainer);
    // A strict drift tolerance: every moved row is scored exhaustively.
    IndexSettings settings = new IndexSettings(1, 2 * ITEMS, 16, 100, 1.0, 0.0, 1L, 0);
    served.useRetrieval(
        Retrieval.of(
            ItemIndex.build(served.itemVectors(), settings), served.itemVectors(), settings));
    PublishedWeights published = PublishedWeights.of(trainer, 0.0);
    trainer.train(SyntheticData.batch(new SplittableRandom(5), 256, ITEMS, 5));
    NextItemModel next =
        served.applying(ModelDelta.fromBytes(published.advanceTo(trainer).toBytes()));

    assertThat(next.retrieval()).isNotNull();
    assertThat(next.retrieval().index()).isSameAs(served.retrieval().index());
    assertThat(next.retrieval().unindexedCount()).isPositive();
    NextItemModel exhaustive = servingCopy(trainer);
    assertThat(ids(next.recommend(histories(), 10)))
        .isEqualTo(ids(exhaustive.recommend(histories(), 10)));
  }
}
