package io.recsys.model.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {

  @Test
  void shouldDrawRowsInProportionToTheirWeightsAndNeverAZeroWeight() {
    float[] weights = {0f, 1f, 0f, 3f, 6f, 0f};
    NegativeSampler sampler = NegativeSampler.of(weights);
    int[] drawn = new int[weights.length];
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      // One negative per call: the distinct-row bookkeeping keeps every draw.
      NegativeSampler.Candidates c = sampler.sample(new int[0], 1, rng);
      drawn[c.rows()[0]]++;
    }
    assertThat(drawn[0] + drawn[2] + drawn[5]).isZero();
    assertThat(drawn[1] / 20_000.0).isCloseTo(0.1, within(0.01));
    assertThat(drawn[3] / 20_000.0).isCloseTo(0.3, within(0.015));
    assertThat(drawn[4] / 20_000.0).isCloseTo(0.6, within(0.015));
  }

  @Test
  void shouldFollowWeightChangesAndGrowthWithoutARebuildByTheCaller() {
    NegativeSampler sampler = new NegativeSampler(3);
    sampler.set(0, 2);
    sampler.set(2, 2);
    assertThat(sampler.total()).isEqualTo(4.0);
    sampler.set(0, 0);
    sampler.grow(1000);
    sampler.set(999, 6);
    assertThat(sampler.total()).isEqualTo(8.0);
    SplittableRandom rng = new SplittableRandom(2);
    int last = 0;
    for (int i = 0; i < 2_000; i++) {
      int row = sampler.sample(new int[0], 1, rng).rows()[0];
      assertThat(row).isIn(2, 999);
      last += row == 999 ? 1 : 0;
    }
    assertThat(last / 2_000.0).isCloseTo(0.75, within(0.04));
  }

  @Test
  void shouldPutTargetsFirstOnceAndGiveEachCandidateItsProbability() {
    NegativeSampler sampler = NegativeSampler.of(new float[] {1f, 1f, 2f});
    NegativeSampler.Candidates c = sampler.sample(new int[] {2, 0, 2}, 50, new SplittableRandom(3));
    assertThat(c.rows()).startsWith(2, 0).doesNotHaveDuplicates();
    assertThat(c.labels()).containsExactly(0, 1, 0);
    assertThat(c.probability()[0]).isEqualTo(0.5);
    assertThat(c.probability()[1]).isEqualTo(0.25);
  }
}
