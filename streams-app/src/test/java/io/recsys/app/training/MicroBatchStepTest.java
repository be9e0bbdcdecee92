package io.recsys.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MicroBatchStepTest {
  private static final List<String> HISTORY = List.of("a", "b");

  private static NextItemModel model() {
    NextItemModel model =
        NextItemModel.create(
            ModelConfig.builder().embeddingSize(8).hiddenSize(8).seed(3).build(),
            VocabularyConfig.defaults());
    for (String item : List.of("a", "b", "c", "d")) {
      model.admit(item, 0);
    }
    return model;
  }

  private static List<TrainingExample> batch(int size) {
    List<TrainingExample> batch = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      batch.add(new TrainingExample(HISTORY, i % 2 == 0 ? "c" : "d", 1.0));
    }
    return batch;
  }

  /** How far the model's scores for HISTORY moved from {@code before}. */
  private static double moved(NextItemModel model, float[] before) {
    float[] after = model.scoreAll(List.of(HISTORY))[0];
    double sum = 0;
    for (int i = 0; i < before.length; i++) {
      sum += Math.abs(after[i] - before[i]);
    }
    return sum;
  }

  @Test
  void shouldTakeASmallerStepOnASmallBatchAndRestoreTheRate() {
    try (NextItemModel full = model();
        NextItemModel scaled = model()) {
      float[] before = full.scoreAll(List.of(HISTORY))[0];
      double rate = scaled.learningRate();

      full.train(batch(8));
      MicroBatchStep.train(scaled, batch(8), 256);

      assertThat(scaled.learningRate()).isEqualTo(rate);
      assertThat(moved(scaled, before)).isLessThan(moved(full, before) / 4);
      assertThat(moved(scaled, before)).isPositive();
    }
  }

  @Test
  void shouldTakeTheFullStepOnAFullBatch() {
    try (NextItemModel plain = model();
        NextItemModel stepped = model()) {
      float[] before = plain.scoreAll(List.of(HISTORY))[0];

      plain.train(batch(16));
      MicroBatchStep.train(stepped, batch(16), 16);

      assertThat(moved(stepped, before)).isEqualTo(moved(plain, before));
    }
  }
}
