package io.recsys.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.schemas.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntervalTrainedBaselineTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final int ITEMS = 30;
  private static final int USERS = 40;
  private static final int STEPS = 50;

  /** Every user walks item-k, item-(k+1), ...; one step per user per minute of event time. */
  private static List<UserEvent> walks() {
    List<UserEvent> events = new ArrayList<>();
    for (int step = 0; step < STEPS; step++) {
      for (int user = 0; user < USERS; user++) {
        events.add(
            new UserEvent(
                "u" + user,
                "item-" + ((user + step) % ITEMS),
                "view",
                null,
                T0 + step * 60_000L + user));
      }
    }
    return events;
  }

  private static RecsysSettings settings() {
    return RecsysConfig.parse(Map.of(RecsysConfig.SERVING_MIN_HISTORY_CONFIG, "1"));
  }

  @Test
  void shouldHoldNoListBeforeItsFirstTraining() {
    // An interval longer than the whole stream: the copy never trains, so it never scores.
    IntervalTrainedBaseline.Result result =
        new IntervalTrainedBaseline(settings(), Duration.ofDays(365), 1).evaluate(walks());

    assertThat(result.trainings()).isZero();
    assertThat(result.examplesTrained()).isZero();
    assertThat(result.quality().events()).isZero();
    assertThat(result.quality().coldEvents()).isEqualTo(USERS * STEPS);
  }

  @Test
  void shouldLearnTheWalksWhenTrainedEveryFewMinutes() {
    IntervalTrainedBaseline.Result result =
        new IntervalTrainedBaseline(settings(), Duration.ofMinutes(5), 2).evaluate(walks());

    // 50 minutes of event time starting at an arbitrary offset: 9 or 10 boundaries.
    assertThat(result.trainings()).isBetween(9, 10);
    assertThat(result.examplesTrained()).isPositive();
    assertThat(result.quality().events()).isPositive();
    // Next-item walks are easy: a trained copy finds the next item far above chance (10/30 -
    // seen items; chance is about 1/3 at most and falls as users see more items).
    assertThat(result.quality().hitRate10()).isGreaterThan(0.5);
  }

  @Test
  void shouldRefuseANonPositiveInterval() {
    assertThatThrownBy(() -> new IntervalTrainedBaseline(settings(), Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
  }
}
