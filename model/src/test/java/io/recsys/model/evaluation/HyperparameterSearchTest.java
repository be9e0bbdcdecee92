package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperparameterSearchTest {
  @Test
  void shouldChooseTheTrialWithTheBestValidationFigure() {
    ModelConfig learns =
        new ModelConfig(
            16, 32, 50, 5, 0.0, 0.01, 1.0, 0.0, LossType.FULL_SOFTMAX, 20, 0.0, 256, 5L);
    ModelConfig stuck = learns.toBuilder().learningRate(1e-7).build();
    List<HyperparameterSearch.Trial> trials =
        List.of(
            new HyperparameterSearch.Trial("stuck", stuck),
            new HyperparameterSearch.Trial("learns", learns));
    List<String> epochsOf = new ArrayList<>();

    HyperparameterSearch.Outcome outcome =
        HyperparameterSearch.run(
            LeaveOneOutEvaluationTest.walks(120, 10),
            new EvaluationSettings(learns, 6, 2, 16, 10),
            trials,
            (trial, progress) -> epochsOf.add(trial.name()));

    assertThat(outcome.trials()).hasSize(2);
    assertThat(outcome.winner().trial().name()).isEqualTo("learns");
    assertThat(outcome.winner().result().bestValidationNdcg10())
        .isGreaterThan(outcome.trials().get(0).result().bestValidationNdcg10());
    assertThat(epochsOf).contains("stuck", "learns");
  }

  @Test
  void shouldVaryTheGivenSettingsAroundWhatMattersOnSparseData() {
    ModelConfig base = ModelConfig.defaults();
    List<HyperparameterSearch.Trial> trials = HyperparameterSearch.around(base);

    assertThat(trials.get(0).config()).isEqualTo(base);
    assertThat(trials).extracting(HyperparameterSearch.Trial::name).doesNotHaveDuplicates();
    assertThat(trials).extracting(HyperparameterSearch.Trial::config).doesNotHaveDuplicates();
  }
}
