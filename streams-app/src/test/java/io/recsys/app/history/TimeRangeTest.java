package io.recsys.app.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeRangeTest {
  @Test
  void shouldAcceptIso8601InstantsAndEpochMilliseconds() {
    TimeRange range = TimeRange.parse("2003-01-01T00:00:00Z", "1041379200001");
    assertThat(range.fromMs()).isEqualTo(1_041_379_200_000L);
    assertThat(range.toMs()).isEqualTo(1_041_379_200_001L);
    assertThat(TimeRange.parse("2003-01-01T01:00:00+01:00", null).fromMs())
        .isEqualTo(1_041_379_200_000L);
  }

  @Test
  void shouldLeaveOmittedBoundsOpen() {
    assertThat(TimeRange.parse(null, null)).isEqualTo(TimeRange.ALL);
    assertThat(TimeRange.parse(null, "5").contains(0)).isTrue();
    assertThat(TimeRange.parse("5", null).contains(Long.MAX_VALUE)).isTrue();
  }

  @Test
  void shouldIncludeFromAndExcludeTo() {
    TimeRange range = TimeRange.parse("10", "20");
    assertThat(range.contains(9)).isFalse();
    assertThat(range.contains(10)).isTrue();
    assertThat(range.contains(19)).isTrue();
    assertThat(range.contains(20)).isFalse();
  }

  @Test
  void shouldNameTheOptionAndTheTextWhenUnreadable() {
    assertThatThrownBy(() -> TimeRange.parse("yesterday", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--from: expected an ISO-8601 instant (such as 2003-01-01T00:00:00Z) or epoch"
                + " milliseconds, got 'yesterday'");
    assertThatThrownBy(() -> TimeRange.parse(null, "2003-13-01T00:00:00Z"))
        .hasMessageStartingWith("--to: expected an ISO-8601 instant")
        .hasMessageEndingWith("got '2003-13-01T00:00:00Z'");
    assertThatThrownBy(() -> TimeRange.parse(null, "99999999999999999999"))
        .hasMessageStartingWith("--to: expected");
  }

  @Test
  void shouldRefuseAnEmptyOrReversedRange() {
    assertThatThrownBy(() -> TimeRange.parse("2003-01-02T00:00:00Z", "2003-01-01T00:00:00Z"))
        .hasMessage(
            "--to (2003-01-01T00:00:00Z) must be after --from (2003-01-02T00:00:00Z): the range"
                + " is empty");
    assertThatThrownBy(() -> TimeRange.parse("7", "7")).hasMessageContaining("range is empty");
  }
}
