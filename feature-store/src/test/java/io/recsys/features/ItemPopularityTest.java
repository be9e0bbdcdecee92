package io.recsys.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ItemPopularityTest {
  private static final long DAY = 24 * 3600 * 1000L;
  private static final long T0 = 1_700_000_000_000L;

  @Test
  void shouldHalveAnEventsContributionEveryHalfLife() {
    ItemPopularity popularity = ItemPopularity.NONE.plus(4.0, T0, DAY);

    assertThat(ItemPopularity.scoreAt(popularity.logScore(), T0, DAY)).isCloseTo(4.0, within(1e-9));
    assertThat(ItemPopularity.scoreAt(popularity.logScore(), T0 + DAY, DAY))
        .isCloseTo(2.0, within(1e-9));
    assertThat(ItemPopularity.scoreAt(popularity.logScore(), T0 + 3 * DAY, DAY))
        .isCloseTo(0.5, within(1e-9));
  }

  @Test
  void shouldAddDecayedContributions() {
    ItemPopularity popularity =
        ItemPopularity.NONE.plus(1.0, T0, DAY).plus(1.0, T0 + DAY, DAY).plus(2.0, T0 + DAY, DAY);

    assertThat(ItemPopularity.scoreAt(popularity.logScore(), T0 + DAY, DAY))
        .isCloseTo(3.5, within(1e-9));
    assertThat(popularity.eventCount()).isEqualTo(3);
    assertThat(popularity.lastEventTime()).isEqualTo(T0 + DAY);
  }

  @Test
  void shouldRankRecentActivityAboveOlderActivityOfTheSameSize() {
    ItemPopularity old = ItemPopularity.NONE.plus(1.0, T0, DAY).plus(1.0, T0, DAY);
    ItemPopularity recent = ItemPopularity.NONE.plus(1.0, T0 + 2 * DAY, DAY);

    // 2 events two half-lives ago are worth 0.5 now; 1 event now is worth 1.
    assertThat(recent.logScore()).isGreaterThan(old.logScore());
  }

  @Test
  void shouldNotOverflowAfterYearsOfShortHalfLives() {
    ItemPopularity popularity = ItemPopularity.NONE;
    for (int day = 0; day < 3650; day++) {
      popularity = popularity.plus(1.0, T0 + day * DAY, 3600_000L);
    }

    assertThat(popularity.logScore()).isFinite();
    assertThat(ItemPopularity.scoreAt(popularity.logScore(), T0 + 3649 * DAY, 3600_000L))
        .isCloseTo(1.0, within(1e-6));
  }
}
