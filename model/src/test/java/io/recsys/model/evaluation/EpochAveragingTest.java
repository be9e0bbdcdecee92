package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.VocabularyConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochAveragingTest {
  private static final ModelConfig CONFIG =
      new ModelConfig(8, 16, 20, 5, 0.0, 0.05, 1.0, 0.0, LossType.FULL_SOFTMAX, 20, 0.0, 64, 7L);

  private static NextItemModel model() {
    NextItemModel model = NextItemModel.create(CONFIG, new VocabularyConfig(10, 16, 1, 0));
    for (int i = 0; i < 10; i++) {
      model.admit("item" + i, 0);
    }
    return model;
  }

  private static float[] values(NextItemModel model, int table) {
    return ((float[][]) model.snapshot())[3 * table];
  }

  private static void trainAnEpoch(NextItemModel model, int shift) {
    List<List<String>> walks = new ArrayList<>();
    for (int u = 0; u < 20; u++) {
      List<String> walk = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        walk.add("item" + ((u + shift + i) % 10));
      }
      walks.add(walk);
    }
    new io.recsys.model.FullSequenceTrainer(model, 4, 5).trainEpoch(walks, shift);
  }

  @Test
  void shouldJudgeTheMeanOfTheLastEpochsAndGoOnFromTheLastOne() {
    try (NextItemModel model = model()) {
      EpochAveraging averaging = new EpochAveraging(model, 2);
      trainAnEpoch(model, 0);
      float[] first = values(model, 4);
      assertThat(averaging.add()).isFalse();
      trainAnEpoch(model, 1);
      float[] second = values(model, 4);
      assertThat(averaging.add()).isTrue();

      List<float[]> seen = new ArrayList<>();
      EpochAveraging.Judgement judged =
          averaging.judgeMean(
              () -> {
                seen.add(values(model, 4));
                return 0.25;
              },
              figure -> figure > 0.2);

      // The judged weights are the mean of both epochs' output rows
      assertThat(judged.validationNdcg10()).isEqualTo(0.25);
      assertThat(judged.kept()).isTrue();
      for (int k = 0; k < first.length; k++) {
        assertThat(seen.get(0)[k]).isCloseTo((first[k] + second[k]) / 2, within(1e-6f));
      }
      assertThat(first).isNotEqualTo(second);
      // and training goes on from the last epoch's own weights
      assertThat(values(model, 4)).containsExactly(second);
    }
  }

  @Test
  void shouldKeepNothingWhenOff() {
    try (NextItemModel model = model()) {
      EpochAveraging averaging = new EpochAveraging(model, 1);
      trainAnEpoch(model, 0);
      assertThat(averaging.add()).isFalse();
      assertThat(averaging.add()).isFalse();
    }
  }

  private static org.assertj.core.data.Offset<Float> within(float tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }
}
