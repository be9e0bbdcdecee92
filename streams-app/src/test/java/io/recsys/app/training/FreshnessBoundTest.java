package io.recsys.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FreshnessBoundTest {
  private static final long NOW = 1_700_000_000_000L;

  @Test
  void shouldSkipWhatCannotBePublishedWithinTheBoundWhileNewerExamplesWait() {
    // Given a 5 s bound and publishes measured at 2 s from taking an example
    FreshnessBound bound = new FreshnessBound(5_000);
    bound.published(1_500);
    bound.published(2_000);

    // Then an example reached at 3.5 s old is skipped when newer ones wait, one at 2.9 s is not
    assertThat(bound.admissionAgeMs()).isEqualTo(3_000);
    assertThat(bound.skip(NOW, NOW - 3_500, () -> NOW)).isTrue();
    assertThat(bound.skip(NOW, NOW - 2_900, () -> NOW)).isFalse();
  }

  @Test
  void shouldTrainAtTheHeadOfTheFeedWhenExamplesArriveLate() {
    // Given examples that reach the trainer 10 s old because the pipeline before it is behind
    FreshnessBound bound = new FreshnessBound(5_000);
    bound.published(1_000);

    // Then one within the expected delay of the newest read is trained, an older one skipped
    assertThat(bound.skip(NOW, NOW - 10_000, () -> NOW - 9_500)).isFalse();
    assertThat(bound.skip(NOW, NOW - 10_000, () -> NOW - 8_500)).isTrue();
  }

  @Test
  void shouldForgetALongDelayOnceEnoughShorterOnesFollow() {
    FreshnessBound bound = new FreshnessBound(5_000);
    bound.published(4_000);
    for (int i = 0; i < FreshnessBound.DELAYS_KEPT - 1; i++) {
      bound.published(500);
    }
    assertThat(bound.expectedDelayMs()).isEqualTo(4_000);

    bound.published(500);

    assertThat(bound.expectedDelayMs()).isEqualTo(500);
    assertThat(bound.admissionAgeMs()).isEqualTo(4_500);
  }

  @Test
  void shouldNeverSkipWithTheBoundOff() {
    FreshnessBound bound = new FreshnessBound(0);
    assertThat(bound.skip(NOW, NOW - 3_600_000, () -> NOW)).isFalse();
  }
}
