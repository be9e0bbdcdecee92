package io.recsys.model.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class StrategyEvidenceTest {
  enum S {
    A,
    B,
    C
  }

  @Test
  void shouldPickTheStrategyWithTheBestFigureInTheBucket() {
    StrategyEvidence<S> evidence = new StrategyEvidence<>(S.class, 1000, 3, 1.0);
    for (int i = 0; i < 10; i++) {
      evidence.record(2, S.A, 0.1);
      evidence.record(2, S.B, 0.4);
      evidence.record(5, S.A, 0.6);
      evidence.record(5, S.B, 0.2);
    }

    assertThat(evidence.best(2, EnumSet.allOf(S.class), S.C)).isEqualTo(S.B);
    assertThat(evidence.best(5, EnumSet.allOf(S.class), S.C)).isEqualTo(S.A);
    // Only among the available ones.
    assertThat(evidence.best(2, EnumSet.of(S.A, S.C), S.C)).isEqualTo(S.A);
  }

  @Test
  void shouldKeepTheDefaultUnlessAnotherLeadsItBeyondTheNoise() {
    // A leads the default C by 0.05 on 0/1 outcomes: noise after 40 events, clear after 4,000.
    StrategyEvidence<S> evidence = new StrategyEvidence<>(S.class, Integer.MAX_VALUE, 3, 1.0);
    for (int i = 0; i < 40; i++) {
      evidence.record(1, S.A, i % 20 < 7 ? 1 : 0); // 35 %
      evidence.record(1, S.C, i % 10 < 3 ? 1 : 0); // 30 %
    }
    assertThat(evidence.ndcg(1, S.A) - evidence.ndcg(1, S.C)).isCloseTo(0.05, within(1e-9));
    assertThat(evidence.best(1, EnumSet.of(S.A, S.C), S.C)).isEqualTo(S.C);
    // With no margin the lead alone decides.
    StrategyEvidence<S> eager = new StrategyEvidence<>(S.class, Integer.MAX_VALUE, 3, 0.0);
    eager.record(1, S.A, 1);
    eager.record(1, S.A, 0);
    eager.record(1, S.A, 1);
    eager.record(1, S.C, 0);
    eager.record(1, S.C, 1);
    eager.record(1, S.C, 0);
    assertThat(eager.best(1, EnumSet.of(S.A, S.C), S.C)).isEqualTo(S.A);

    for (int i = 0; i < 4_000; i++) {
      evidence.record(1, S.A, i % 20 < 7 ? 1 : 0);
      evidence.record(1, S.C, i % 10 < 3 ? 1 : 0);
    }
    assertThat(evidence.best(1, EnumSet.of(S.A, S.C), S.C)).isEqualTo(S.A);
  }

  @Test
  void shouldFallBackUntilAnyStrategyHasEnoughEvents() {
    StrategyEvidence<S> evidence = new StrategyEvidence<>(S.class, 1000, 3, 1.0);
    evidence.record(1, S.A, 1.0);
    evidence.record(1, S.A, 1.0);

    assertThat(evidence.ndcg(1, S.A)).isNaN();
    assertThat(evidence.best(1, EnumSet.allOf(S.class), S.C)).isEqualTo(S.C);
  }

  @Test
  void shouldUseTheFigureOverAllBucketsWhileABucketIsShortOfEvents() {
    StrategyEvidence<S> evidence = new StrategyEvidence<>(S.class, 1000, 3, 1.0);
    for (int i = 0; i < 5; i++) {
      evidence.record(4, S.A, 0.5);
      evidence.record(4, S.B, 0.1);
    }
    evidence.record(0, S.B, 0.9);

    assertThat(evidence.ndcg(0, S.B)).isCloseTo((5 * 0.1 + 0.9) / 6, within(1e-3));
    assertThat(evidence.best(0, EnumSet.allOf(S.class), S.C)).isEqualTo(S.A);
  }

  @Test
  void shouldForgetOldEventsWithTheHalfLife() {
    StrategyEvidence<S> evidence = new StrategyEvidence<>(S.class, 10, 1, 1.0);
    for (int i = 0; i < 200; i++) {
      evidence.record(3, S.A, 0.0);
    }
    for (int i = 0; i < 30; i++) {
      evidence.record(3, S.A, 1.0);
    }

    // After three half-lives of 1.0, the old zeros weigh about an eighth.
    assertThat(evidence.ndcg(3, S.A)).isCloseTo(0.875, within(0.01));
  }

  @Test
  void shouldWeighTheBlendByEachStrategysFigure() {
    StrategyEvidence<S> evidence = new StrategyEvidence<>(S.class, 1000, 1, 1.0);
    assertThat(evidence.weights(1, List.of(S.A, S.B))).containsExactly(1.0, 1.0);

    evidence.record(1, S.A, 0.3);
    evidence.record(1, S.B, 0.1);

    assertThat(evidence.weights(1, List.of(S.A, S.B, S.C))).containsExactly(0.3, 0.1, 0.0);
  }
}
