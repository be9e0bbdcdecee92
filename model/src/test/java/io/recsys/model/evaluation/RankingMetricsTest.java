package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  @Test
  void shouldGiveFullCreditAtRankZero() {
    assertThat(RankingMetrics.hitRate(0, 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.ndcg(0, 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.mrr(0, 10)).isEqualTo(1.0);
  }

  @Test
  void shouldMatchHandComputedValuesInsideTheCutoff() {
    // rank 2 (third place): NDCG = 1/log2(4) = 0.5, MRR = 1/3.
    assertThat(RankingMetrics.ndcg(2, 10)).isCloseTo(0.5, within(1e-12));
    assertThat(RankingMetrics.mrr(2, 10)).isCloseTo(1.0 / 3, within(1e-12));
    // rank 9 (tenth place): NDCG = 1/log2(11).
    assertThat(RankingMetrics.ndcg(9, 10)).isCloseTo(0.289064826, within(1e-9));
    assertThat(RankingMetrics.hitRate(9, 10)).isEqualTo(1.0);
  }

  @Test
  void shouldGiveZeroOutsideTheCutoff() {
    assertThat(RankingMetrics.hitRate(10, 10)).isZero();
    assertThat(RankingMetrics.ndcg(10, 10)).isZero();
    assertThat(RankingMetrics.mrr(10, 10)).isZero();
    assertThat(RankingMetrics.hitRate(10, 20)).isEqualTo(1.0);
  }

  @Test
  void shouldAverageOverUsers() {
    RankAccumulator acc = new RankAccumulator();
    acc.add(0);
    acc.add(2);
    acc.add(15);
    acc.add(100);
    RankingSummary s = acc.summary();
    assertThat(s.users()).isEqualTo(4);
    assertThat(s.hr10()).isCloseTo(0.5, within(1e-12));
    assertThat(s.ndcg10()).isCloseTo((1 + 0.5) / 4, within(1e-12));
    assertThat(s.mrr10()).isCloseTo((1 + 1.0 / 3) / 4, within(1e-12));
    assertThat(s.hr20()).isCloseTo(0.75, within(1e-12));
    assertThat(s.ndcg20())
        .isCloseTo((1 + 0.5 + 1 / (Math.log(17) / Math.log(2))) / 4, within(1e-12));
  }

  @Test
  void shouldRankSkippingHistoryAndBreakTiesByLowerIndex() {
    float[] scores = {0.9f, 0.5f, 0.7f, 0.7f, 0.1f};
    BitSet history = new BitSet();
    history.set(0); // best item is in the history, so it does not count
    // target 3 ties with item 2 (lower index wins), so item 2 ranks first: rank 1.
    assertThat(Ranks.rankOf(scores, 3, history)).isEqualTo(1);
    assertThat(Ranks.rankOf(scores, 2, history)).isZero();
    assertThat(Ranks.rankOf(scores, 4, history)).isEqualTo(3);
  }
}
