package io.recsys.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RunDistributionTest {

  @Test
  void shouldBeNaNBeforeAnythingIsRecorded() {
    assertThat(new RunDistribution().percentile(0.99)).isNaN();
  }

  @Test
  void shouldGivePercentilesOfEveryValueRecorded() {
    RunDistribution distribution = new RunDistribution();
    for (int millis = 1; millis <= 1000; millis++) {
      distribution.record(millis);
    }

    assertThat(distribution.count()).isEqualTo(1000);
    assertThat(distribution.percentile(0.5)).isCloseTo(500, within(1.0));
    assertThat(distribution.percentile(0.99)).isCloseTo(990, within(1.0));
  }

  @Test
  void shouldCountNegativeValuesAsZeroAndCapHugeOnesAtAnHour() {
    RunDistribution distribution = new RunDistribution();
    distribution.record(-5);
    distribution.record(Long.MAX_VALUE);

    assertThat(distribution.percentile(0.0)).isZero();
    assertThat(distribution.percentile(1.0)).isCloseTo(3_600_000, within(3_600.0));
  }
}
