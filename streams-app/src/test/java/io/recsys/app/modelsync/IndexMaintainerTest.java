package io.recsys.app.modelsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.model.ModelConfig;
import io.recsys.model.ModelDelta;
import io.recsys.model.NextItemModel;
import io.recsys.model.PublishedWeights;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import io.recsys.model.retrieval.IndexSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexMaintainerTest {
  private static final int ITEMS = 400;
  @TempDir Path dir;

  private final NextItemModel trainer =
      NextItemModel.create(
          ModelConfig.builder().embeddingSize(8).hiddenSize(16).sequenceLength(5).build(),
          new VocabularyConfig(64, 64, 1, 0));
  private final SplittableRandom rng = new SplittableRandom(3);

  private void train() {
    List<TrainingExample> batch = new ArrayList<>();
    for (int i = 0; i < 256; i++) {
      int item = rng.nextInt(ITEMS);
      batch.add(
          new TrainingExample(
              List.of("i" + item, "i" + (item + 1) % ITEMS), "i" + (item + 2) % ITEMS, 1.0, i));
    }
    trainer.train(batch);
  }

  private NextItemModel servingCopy() throws IOException {
    Path file = dir.resolve("serving-" + trainer.updateCount() + ".zip");
    trainer.saveForServing(file);
    return NextItemModel.load(file);
  }

  private static IndexSettings settings(int minItems) {
    return new IndexSettings(minItems, 50, 8, 40, 0.5, 0.01, 1L, 0);
  }

  private static void awaitBuilds(IndexMaintainer maintainer, long builds)
      throws InterruptedException {
    // No time limit of its own: the build finishes or the test runner's timeout fails the test.
    while (maintainer.builds() < builds) {
      Thread.sleep(20);
    }
  }

  @Test
  void shouldServeEveryItemUntilTheGraphIsBuiltAndThroughItAfterwardsAcrossDeltas()
      throws Exception {
    for (int i = 0; i < 8; i++) {
      train();
    }
    IndexMaintainer maintainer = new IndexMaintainer(settings(100));
    try (CurrentModel current = new CurrentModel(maintainer)) {
      NextItemModel served = servingCopy();
      PublishedWeights published = PublishedWeights.of(trainer, 0.0);
      current.swap(new ModelVersion("v1", 1, 1), served);
      awaitBuilds(maintainer, 1);
      // The built graph is adopted by the model served when it finished.
      assertThat(current.retrieval()).isPresent();
      assertThat(current.retrieval().get().index().size()).isEqualTo(served.vocabulary().size());

      train();
      served.apply(ModelDelta.fromBytes(published.advanceTo(trainer).toBytes()));
      current.advance(new ModelVersion("v2", 2, 2), served);
      assertThat(current.retrieval().get().index()).isSameAs(maintainer.newest());
      assertThat(current.retrieval().get().unindexedCount()).isPositive();
      var lists = current.get().orElseThrow().recommend(List.of("i1", "i2"), 10);
      assertThat(lists)
          .hasSize(10)
          .noneMatch(r -> r.itemId().equals("i1") || r.itemId().equals("i2"));

      // A snapshot (a new lineage) adopts the newest graph at once.
      NextItemModel reloaded = servingCopy();
      current.swap(new ModelVersion("v3", 3, 3), reloaded);
      assertThat(current.retrieval().get().index()).isSameAs(maintainer.newest());
    }
  }

  @Test
  void shouldScoreEveryItemOfASmallCatalogue() throws Exception {
    train();
    IndexMaintainer maintainer = new IndexMaintainer(settings(100_000));
    try (CurrentModel current = new CurrentModel(maintainer)) {
      current.swap(new ModelVersion("v1", 1, 1), servingCopy());
      assertThat(current.retrieval()).isEmpty();
      assertThat(maintainer.builds()).isZero();
    }
  }
}
