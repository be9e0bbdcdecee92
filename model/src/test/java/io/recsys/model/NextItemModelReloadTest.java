package io.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.retrieval.ItemIndex;
import io.recsys.model.retrieval.Retrieval;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A served model made the next snapshot in place ({@link NextItemModel#reload}). */
class NextItemModelReloadTest {
  private static final int ITEMS = 300;
  @TempDir Path dir;

  private static NextItemModel trained(VocabularyConfig vocabulary) {
    NextItemModel model =
        NextItemModel.create(SyntheticData.smallConfig(LossType.SAMPLED_SOFTMAX), vocabulary);
    SplittableRandom data = new SplittableRandom(4);
    for (int b = 0; b < 30; b++) {
      model.train(SyntheticData.batch(data, 64, ITEMS, 5));
    }
    return model;
  }

  private static List<List<String>> histories(int items) {
    List<List<String>> out = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      out.add(SyntheticData.history(7 * k, 5, items));
    }
    return out;
  }

  private byte[] servingBytes(NextItemModel model) throws IOException {
    Path file = dir.resolve("serving-" + model.updateCount() + ".zip");
    model.saveForServing(file);
    return Files.readAllBytes(file);
  }

  private NextItemModel servingCopy(NextItemModel model) throws IOException {
    return NextItemModel.load(new ByteArrayInputStream(servingBytes(model)), "test");
  }

  private static boolean reload(NextItemModel served, byte[] snapshot) throws IOException {
    return served.reload(() -> new ByteArrayInputStream(snapshot), "test snapshot");
  }

  @Test
  void shouldServeExactlyAsAFreshLoadOfTheSnapshotWithTheItemsAndRowsItAdded() throws IOException {
    NextItemModel trainer = trained(new VocabularyConfig(64, 64, 1, 0));
    NextItemModel served = servingCopy(trainer);
    int capacityBefore = served.vocabulary().capacity();
    // Items never seen before: the trainer's tables grow.
    SplittableRandom data = new SplittableRandom(5);
    for (int b = 0; b < 10; b++) {
      trainer.train(SyntheticData.batch(data, 64, 2 * ITEMS, 5));
    }
    byte[] snapshot = servingBytes(trainer);
    NextItemModel fresh = NextItemModel.load(new ByteArrayInputStream(snapshot), "fresh");

    assertThat(reload(served, snapshot)).isTrue();

    assertThat(served.vocabulary().capacity())
        .isGreaterThan(capacityBefore)
        .isEqualTo(fresh.vocabulary().capacity());
    assertThat(served.vocabulary().size()).isEqualTo(fresh.vocabulary().size());
    for (int k = 0; k < 2 * ITEMS; k++) {
      String item = SyntheticData.item(k, 2 * ITEMS);
      assertThat(served.vocabulary().rowOf(item)).isEqualTo(fresh.vocabulary().rowOf(item));
    }
    assertThat(served.updateCount()).isEqualTo(fresh.updateCount());
    assertThat(served.recommend(histories(2 * ITEMS), 10))
        .isEqualTo(fresh.recommend(histories(2 * ITEMS), 10));
  }

  @Test
  void shouldGiveRowsThatChangedHandsToTheirNewItems() throws IOException {
    NextItemModel trainer = trained(new VocabularyConfig(64, 64, 1, 0));
    NextItemModel served = servingCopy(trainer);
    // Half the items lose their rows, which new items then take.
    assertThat(trainer.expireBeyond(ITEMS / 2)).isNotEmpty();
    SplittableRandom data = new SplittableRandom(6);
    for (int b = 0; b < 10; b++) {
      trainer.train(SyntheticData.batch(data, 64, 3 * ITEMS, 5));
    }
    byte[] snapshot = servingBytes(trainer);
    NextItemModel fresh = NextItemModel.load(new ByteArrayInputStream(snapshot), "fresh");
    int changedHands = 0;
    for (int row = 0; row < served.vocabulary().capacity(); row++) {
      String before = served.vocabulary().itemAt(row);
      if (before != null && !before.equals(fresh.vocabulary().itemAt(row))) {
        changedHands++;
      }
    }
    assertThat(changedHands).isPositive();

    assertThat(reload(served, snapshot)).isTrue();

    for (int row = 0; row < fresh.vocabulary().capacity(); row++) {
      assertThat(served.vocabulary().itemAt(row)).isEqualTo(fresh.vocabulary().itemAt(row));
    }
    assertThat(served.vocabulary().size()).isEqualTo(fresh.vocabulary().size());
    assertThat(served.recommend(histories(3 * ITEMS), 10))
        .isEqualTo(fresh.recommend(histories(3 * ITEMS), 10));
  }

  @Test
  void shouldChangeNothingWhenTheSnapshotIsDamaged() throws IOException {
    NextItemModel trainer = trained(new VocabularyConfig(64, 64, 1, 0));
    NextItemModel served = servingCopy(trainer);
    List<List<RecommendedItem>> before = served.recommend(histories(ITEMS), 10);
    trainer.train(SyntheticData.batch(new SplittableRandom(7), 256, ITEMS, 5));
    byte[] snapshot = servingBytes(trainer);
    byte[] truncated = java.util.Arrays.copyOf(snapshot, snapshot.length * 3 / 4);
    byte[] flipped = snapshot.clone();
    flipped[snapshot.length / 2] ^= 0x5a;

    assertThatThrownBy(() -> reload(served, truncated)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> reload(served, flipped)).isInstanceOf(IOException.class);

    assertThat(served.recommend(histories(ITEMS), 10)).isEqualTo(before);
  }

  @Test
  void shouldDeclineASnapshotOfOtherHyperparametersAndChangeNothing() throws IOException {
    NextItemModel served = servingCopy(trained(new VocabularyConfig(64, 64, 1, 0)));
    List<List<RecommendedItem>> before = served.recommend(histories(ITEMS), 10);
    NextItemModel other =
        NextItemModel.create(
            SyntheticData.smallConfig(LossType.SAMPLED_SOFTMAX).toBuilder().hiddenSize(24).build(),
            new VocabularyConfig(64, 64, 1, 0));
    other.train(SyntheticData.batch(new SplittableRandom(8), 64, ITEMS, 5));

    assertThat(reload(served, servingBytes(other))).isFalse();
    // A model that trains keeps its updater state, which a serving snapshot does not carry.
    NextItemModel trainer = trained(new VocabularyConfig(64, 64, 1, 0));
    assertThat(reload(trainer, servingBytes(trainer))).isFalse();

    assertThat(served.recommend(histories(ITEMS), 10)).isEqualTo(before);
  }

  @Test
  void shouldTakeLaterSnapshotsInPlaceAfterServingAFullCheckpointLoadedForServing()
      throws IOException {
    NextItemModel trainer = trained(new VocabularyConfig(64, 64, 1, 0));
    Path full = dir.resolve("full.zip");
    trainer.save(full);
    // A promotion publishes the full checkpoint, Adam's moments included: serving skips them.
    NextItemModel served =
        NextItemModel.loadForServing(new ByteArrayInputStream(Files.readAllBytes(full)), "full");
    assertThat(served.recommend(histories(ITEMS), 10))
        .isEqualTo(trainer.recommend(histories(ITEMS), 10));
    trainer.train(SyntheticData.batch(new SplittableRandom(10), 256, ITEMS, 5));

    assertThat(reload(served, servingBytes(trainer))).isTrue();

    assertThat(served.recommend(histories(ITEMS), 10))
        .isEqualTo(trainer.recommend(histories(ITEMS), 10));
  }

  @Test
  void shouldCarryTheIndexOnAndScoreTheItemsTheSnapshotMovedWithTheirNewWeights()
      throws IOException {
    NextItemModel trainer = trained(new VocabularyConfig(64, 64, 1, 0));
    NextItemModel served = servingCopy(trainer);
    // A strict drift tolerance: every moved row is scored exhaustively.
    IndexSettings settings = new IndexSettings(1, 2 * ITEMS, 16, 100, 1.0, 0.0, 1L, 0);
    Retrieval retrieval =
        Retrieval.of(
            ItemIndex.build(served.itemVectors(), settings), served.itemVectors(), settings);
    served.useRetrieval(retrieval);
    assertThat(retrieval.unindexedCount()).isZero();
    trainer.train(SyntheticData.batch(new SplittableRandom(9), 256, ITEMS, 5));
    byte[] snapshot = servingBytes(trainer);

    assertThat(reload(served, snapshot)).isTrue();

    assertThat(served.retrieval().index()).isSameAs(retrieval.index());
    assertThat(served.retrieval().unindexedCount()).isPositive();
    NextItemModel exhaustive = NextItemModel.load(new ByteArrayInputStream(snapshot), "fresh");
    assertThat(ids(served.recommend(histories(ITEMS), 10)))
        .isEqualTo(ids(exhaustive.recommend(histories(ITEMS), 10)));
  }

  private static List<List<String>> ids(List<List<RecommendedItem>> lists) {
    return lists.stream().map(l -> l.stream().map(RecommendedItem::itemId).toList()).toList();
  }
}
