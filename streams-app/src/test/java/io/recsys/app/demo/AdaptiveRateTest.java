package io.recsys.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveRateTest {
  private static final long STEP = 250_000_000L;

  /**
   * A system that answers at most {@code capacity} events a second, fed at the controller's rate
   * for {@code seconds}: the backlog is what it could not answer yet.
   */
  private static double settle(double capacity, int seconds) {
    AdaptiveRate rate = new AdaptiveRate(0.25);
    double backlog = 0;
    double sum = 0;
    int samples = 0;
    for (long t = 0; t < seconds * 4L; t++) {
      double r = rate.update((long) backlog, t * STEP);
      backlog = Math.max(0, backlog + (r - capacity) * 0.25);
      if (t > seconds * 2L) {
        sum += r;
        samples++;
      }
    }
    return sum / samples;
  }

  @Test
  void shouldSettleNearWhatTheSystemCarries() {
    // Near capacity, without running above it for long: the backlog drains between back-offs.
    assertThat(settle(1_000, 300)).isBetween(800.0, 1_050.0);
    assertThat(settle(3_000, 300)).isBetween(2_400.0, 3_150.0);
  }

  @Test
  void shouldBackOffWhenTheBacklogOutgrowsTheTargetAndNotBelowTheFloor() {
    AdaptiveRate rate = new AdaptiveRate(0.5);
    double before = rate.update(0, 0);
    assertThat(rate.update(10_000, STEP)).isLessThan(before);
    for (int i = 2; i < 100; i++) {
      rate.update(1_000_000, i * STEP);
    }
    assertThat(rate.rate()).isEqualTo(AdaptiveRate.MIN_PER_SECOND);
  }

  @Test
  void shouldNotChangeMoreOftenThanFourTimesASecond() {
    AdaptiveRate rate = new AdaptiveRate(0.5);
    double first = rate.update(0, 0);
    assertThat(rate.update(0, STEP / 2)).isEqualTo(first);
    assertThat(rate.update(0, STEP)).isGreaterThan(first);
  }
}
