package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.ModelConfig;
import org.junit.jupiter.api.Test;

class EvaluationSettingsTest {
  @Test
  void shouldGiveSparserDataLargerOutputSteps() {
    // ML-1M users 1-2999, ML-100K, amazon-games: ~135, ~60 and ~12 examples per item.
    assertThat(EvaluationSettings.outputRateScaleFor(487_650, 3_615)).isEqualTo(16.0);
    assertThat(EvaluationSettings.outputRateScaleFor(100_000, 1_682)).isEqualTo(32.0);
    assertThat(EvaluationSettings.outputRateScaleFor(287_107, 23_715)).isEqualTo(32.0);
    assertThat(EvaluationSettings.outputRateScaleFor(10_000_000, 1_000)).isEqualTo(1.0);
    assertThat(EvaluationSettings.outputRateScaleFor(0, 0)).isEqualTo(1.0);
  }

  @Test
  void shouldScaleOnlyWhereAskedAndOnlyOnce() {
    EvaluationSettings fromData = EvaluationSettings.defaults(3);
    EvaluationSettings scaled = fromData.forData(100_000, 1_682);

    assertThat(scaled.model().outputLearningRateScale()).isEqualTo(32.0);
    assertThat(scaled.outputRateFromData()).isFalse();
    assertThat(scaled.forData(10, 10)).isSameAs(scaled);
    EvaluationSettings given =
        new EvaluationSettings(ModelConfig.defaults(), 3, 4, 32, 20, TrainingMode.FULL_SEQUENCE);
    assertThat(given.forData(100_000, 1_682)).isSameAs(given);
  }
}
