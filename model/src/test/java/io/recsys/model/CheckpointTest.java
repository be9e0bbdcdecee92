package io.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  private static ModelConfig config() {
    // dropout on, so that resuming must also reproduce the dropout masks; a non-default output
    // step, so that resuming must also restore it
    return SyntheticData.smallConfig(LossType.SAMPLED_SOFTMAX).toBuilder()
        .dropout(0.2)
        .outputLearningRateScale(2.0)
        .build();
  }

  @Test
  void shouldRecommendIdenticallyFromASmallerServingCheckpoint() throws IOException {
    NextItemModel a = NextItemModel.create(config(), new VocabularyConfig(16, 16, 1, 0));
    SplittableRandom data = new SplittableRandom(3);
    for (int b = 0; b < 10; b++) {
      a.train(SyntheticData.batch(data, 32, 40, 5));
    }
    Path full = dir.resolve("full.ckpt");
    Path serving = dir.resolve("serving.ckpt");
    a.save(full);
    a.saveForServing(serving);

    NextItemModel b = NextItemModel.load(serving);
    List<List<String>> histories =
        List.of(List.of("item-3", "item-4"), List.of("item-7"), List.of("item-1", "item-9"));
    assertThat(b.recommend(histories, 5)).isEqualTo(a.recommend(histories, 5));
    assertThat(Files.size(serving)).isLessThan(Files.size(full) / 2);
  }

  @Test
  void shouldResumeTrainingBitwiseExactlyAfterRoundTrip() throws IOException {
    NextItemModel a = NextItemModel.create(config(), new VocabularyConfig(16, 16, 1, 0));
    SplittableRandom data = new SplittableRandom(9);
    for (int b = 0; b < 10; b++) {
      a.train(SyntheticData.batch(data, 32, 40, 5));
    }
    a.setDataPosition("partition-0:1234");
    Path file = dir.resolve("model.ckpt");
    a.save(file);
    NextItemModel b = NextItemModel.load(file);
    assertThat(b.updateCount()).isEqualTo(a.updateCount());
    assertThat(b.config()).isEqualTo(a.config());
    assertThat(b.dataPosition()).isEqualTo("partition-0:1234");
    assertThat(b.vocabulary().size()).isEqualTo(a.vocabulary().size());

    for (int step = 0; step < 5; step++) {
      List<TrainingExample> batch =
          SyntheticData.batch(data, 32, 45, 5); // also grows the vocabulary
      TrainingStats sa = a.train(batch);
      TrainingStats sb = b.train(batch);
      assertThat(sb.meanLoss()).isEqualTo(sa.meanLoss());
    }
    assertSameState(a, b);
  }

  static void assertSameState(NextItemModel a, NextItemModel b) {
    var ta = a.network().tables();
    var tb = b.network().tables();
    for (int i = 0; i < ta.length; i++) {
      assertThat(tb[i].values()).as("table %d values", i).isEqualTo(ta[i].values());
      assertThat(tb[i].firstMoment()).as("table %d m", i).isEqualTo(ta[i].firstMoment());
      assertThat(tb[i].secondMoment()).as("table %d v", i).isEqualTo(ta[i].secondMoment());
    }
    assertThat(b.network().logitMask()).isEqualTo(a.network().logitMask());
  }

  @Test
  void shouldWriteProvenance() throws IOException {
    NextItemModel a = NextItemModel.create(config(), VocabularyConfig.defaults());
    a.train(SyntheticData.batch(new SplittableRandom(1), 16, 10, 3));
    Path file = dir.resolve("p.ckpt");
    a.save(file);
    Properties p = Checkpoints.readProvenance(file);
    assertThat(p.getProperty("updateCount")).isEqualTo("1");
    assertThat(p.getProperty("model.loss")).isEqualTo("SAMPLED_SOFTMAX");
    assertThat(p.getProperty("library.nd4j")).isEqualTo("1.0.0-M2.1");
  }

  @Test
  void shouldStillLoadTheGoldenCheckpoint() throws IOException, URISyntaxException {
    Path golden = Path.of(CheckpointTest.class.getResource("/golden/model-v1.ckpt").toURI());
    NextItemModel model = NextItemModel.load(golden);
    assertThat(model.vocabulary().size()).isEqualTo(20);
    assertThat(model.updateCount()).isEqualTo(300);
    // Written before the output layer had its own step: it trained at the common one.
    assertThat(model.config().outputLearningRateScale()).isEqualTo(1.0);
    // The golden model learned k -> k+1 on 20 items; its top item must still be right.
    List<RecommendedItem> top = model.recommend(List.of(SyntheticData.history(7, 4, 20)), 1).get(0);
    assertThat(top).extracting(RecommendedItem::itemId).containsExactly("item-8");
    // and it can keep training
    assertThat(model.train(SyntheticData.batch(new SplittableRandom(2), 8, 20, 4)).examples())
        .isEqualTo(8);
  }
}
