package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.data.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeaveOneOutEvaluationTest {
  private static final int ITEMS = 40;

  /** Each user walks k, k+1, k+2, ... from a random start: the next item is always k+1. */
  static List<Interaction> walks(int users, int length) {
    SplittableRandom rng = new SplittableRandom(3);
    List<Interaction> out = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int start = rng.nextInt(ITEMS);
      for (int i = 0; i < length; i++) {
        out.add(new Interaction("u" + u, "item" + ((start + i) % ITEMS), 1, (long) i * 1000 + u));
      }
    }
    return out;
  }

  @Test
  void shouldLearnTheWalkAndBeatBothBaselinesOnTheSameUsers() {
    ModelConfig config =
        new ModelConfig(
            16, 32, 50, 5, 0.0, 0.01, 1.0, 0.0, LossType.FULL_SOFTMAX, 20, 0.0, 256, 5L);
    List<EpochProgress> progress = new ArrayList<>();
    EvaluationResult r =
        LeaveOneOutEvaluation.run(
            walks(200, 12), new EvaluationSettings(config, 15, 2, 16, 10), progress::add);
    assertThat(r.users()).isEqualTo(200);
    assertThat(r.items()).isEqualTo(ITEMS);
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(0).epoch()).isEqualTo(1);
    assertThat(r.model().hr10()).isGreaterThan(0.9);
    assertThat(r.model().ndcg10()).isGreaterThan(r.popularity().ndcg10());
    assertThat(r.popularity().users()).isEqualTo(r.model().users());
    assertThat(r.cooccurrence().users()).isEqualTo(r.model().users());
    // the co-occurrence baseline knows "k then k+1" from the training walks
    assertThat(r.cooccurrence().hr10()).isGreaterThan(0.9);
    assertThat(r.examplesPerSecond()).isPositive();
    assertThat(r.served().users()).isEqualTo(200);
    assertThat(r.blend().users()).isEqualTo(200);
    assertThat(servedUsers(r)).isEqualTo(200);
    assertThat(r.blendFusion())
        .isIn(StrategyComparison.FUSIONS.stream().map(Object::toString).toList());
  }

  @Test
  void shouldServeWhatWonOnValidationWhenTheModelHasNotLearned() {
    // A learning rate this small leaves the model at its random start after one epoch.
    ModelConfig config =
        new ModelConfig(
            16, 32, 50, 5, 0.0, 1e-7, 1.0, 0.0, LossType.FULL_SOFTMAX, 20, 0.0, 256, 5L);
    EvaluationResult r =
        LeaveOneOutEvaluation.run(
            walks(200, 12), new EvaluationSettings(config, 1, 1, 16, 10), p -> {});

    assertThat(r.model().hr10()).isLessThan(0.6);
    assertThat(r.cooccurrence().hr10()).isGreaterThan(0.9);
    assertThat(r.served().hr10()).isGreaterThan(0.9);
    assertThat(r.servedByBucket().values())
        .allSatisfy(counts -> assertThat(counts).doesNotContainKey("model"));
  }

  private static long servedUsers(EvaluationResult r) {
    return r.servedByBucket().values().stream()
        .flatMap(counts -> counts.values().stream())
        .mapToLong(Long::longValue)
        .sum();
  }

  @Test
  void shouldJudgeTheMeanOfTheLastEpochsOnceThereAreEnough() {
    ModelConfig config =
        new ModelConfig(
            16, 32, 50, 5, 0.0, 0.01, 1.0, 0.0, LossType.FULL_SOFTMAX, 20, 0.0, 256, 5L);
    List<EpochProgress> progress = new ArrayList<>();
    EvaluationResult r =
        LeaveOneOutEvaluation.run(
            walks(200, 12),
            new EvaluationSettings(config, 4, 4, 16, 10, TrainingMode.FULL_SEQUENCE, 1.0, false, 3),
            progress::add);

    assertThat(progress).hasSize(4);
    assertThat(progress.subList(0, 2))
        .allSatisfy(p -> assertThat(p.meanValidationNdcg10()).isNaN());
    assertThat(progress.subList(2, 4))
        .allSatisfy(p -> assertThat(p.meanValidationNdcg10()).isBetween(0.0, 1.0));
    assertThat(r.bestEpochsAveraged()).isIn(1, 3);
    assertThat(r.model().hr10()).isGreaterThan(0.9);
  }

  @Test
  void shouldAlsoLearnTheWalkThroughTheIncrementalTrainingPath() {
    ModelConfig config =
        new ModelConfig(16, 32, 50, 3, 0.0, 0.01, 1.0, 0.0, LossType.FULL_SOFTMAX, 20, 0.0, 64, 5L);
    EvaluationResult r =
        LeaveOneOutEvaluation.run(
            walks(200, 12),
            new EvaluationSettings(config, 15, 2, 16, 5, TrainingMode.INCREMENTAL),
            p -> {});
    assertThat(r.model().hr10()).isGreaterThan(0.9);
  }
}
