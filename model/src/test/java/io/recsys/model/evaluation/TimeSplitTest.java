package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.model.data.Interaction;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSplitTest {
  private static Interaction at(String user, String item, long t) {
    return new Interaction(user, item, 1, t);
  }

  @Test
  void shouldHoldOutTheLastShareOfTheTimeSpanWithEachEventsPrecedingHistory() {
    // Span 0..100, fraction 0.2: events at or after 80 are held out.
    TimeSplit split =
        TimeSplit.byTime(
            List.of(
                at("u", "c", 85),
                at("u", "a", 0),
                at("u", "b", 79),
                at("v", "x", 50),
                at("u", "d", 100),
                at("w", "z", 90)), // w's only event: nothing to predict it from
            0.2);
    assertThat(split.cutoffMs()).isEqualTo(80);
    assertThat(split.trainSequences()).containsExactly(List.of("a", "b"), List.of("x"));
    assertThat(split.trainEvents()).isEqualTo(3);
    // Both held-out events of u are targets; the second sees the first in its history.
    assertThat(split.heldOut())
        .containsExactly(
            new TimeSplit.HeldOutEvent(List.of("a", "b"), "c"),
            new TimeSplit.HeldOutEvent(List.of("a", "b", "c"), "d"));
    assertThat(split.coldHeldOut()).isEqualTo(1);
  }

  @Test
  void shouldHoldOutAtLeastTheNewestInstant() {
    TimeSplit split =
        TimeSplit.byTime(List.of(at("u", "a", 0), at("u", "b", 1), at("u", "c", 2)), 0.01);
    assertThat(split.cutoffMs()).isEqualTo(2);
    assertThat(split.heldOut()).containsExactly(new TimeSplit.HeldOutEvent(List.of("a", "b"), "c"));
  }

  @Test
  void shouldRefuseSplitsThatLeaveASideEmpty() {
    assertThatThrownBy(() -> TimeSplit.byTime(List.of(), 0.1))
        .hasMessageContaining("range read was empty");
    assertThatThrownBy(() -> TimeSplit.byTime(List.of(at("u", "a", 5), at("u", "b", 5)), 0.1))
        .hasMessageContaining("share one timestamp");
    // The only held-out event has no history.
    assertThatThrownBy(() -> TimeSplit.byTime(List.of(at("u", "a", 0), at("v", "b", 10)), 0.1))
        .hasMessageContaining("no held-out event");
    assertThatThrownBy(() -> TimeSplit.byTime(List.of(at("u", "a", 0), at("u", "b", 10)), 1.0))
        .hasMessageContaining("validation fraction must be in (0, 1), got 1.0");
  }
}
