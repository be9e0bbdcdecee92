package io.recsys.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.schemas.UserEvent;
import org.junit.jupiter.api.Test;

class UserFeaturesTest {
  private static UserEvent event(String item, String type, long time) {
    return new UserEvent("u", item, type, null, time);
  }

  @Test
  void shouldKeepTheLatestItemsOldestFirst() {
    UserFeatures features = UserFeatures.EMPTY;
    for (int i = 1; i <= 5; i++) {
      features = features.withEvent(event("i" + i, "view", i), 3);
    }

    assertThat(features.recentItems()).containsExactly("i3", "i4", "i5");
    assertThat(features.eventCount()).isEqualTo(5);
    assertThat(features.lastEventTime()).isEqualTo(5);
  }

  @Test
  void shouldCountRepeatedEventsOnTheSameItemAsOneStep() {
    UserFeatures features =
        UserFeatures.EMPTY
            .withEvent(event("a", "view", 1), 10)
            .withEvent(event("a", "cart", 2), 10)
            .withEvent(event("b", "view", 3), 10)
            .withEvent(event("a", "view", 4), 10);

    assertThat(features.recentItems()).containsExactly("a", "b", "a");
    assertThat(features.eventTypeCounts()).containsEntry("view", 3L).containsEntry("cart", 1L);
  }

  @Test
  void shouldKeepTheNewestEventTimeWhenEventsArriveOutOfOrder() {
    UserFeatures features =
        UserFeatures.EMPTY.withEvent(event("a", "view", 10), 5).withEvent(event("b", "view", 4), 5);

    assertThat(features.lastEventTime()).isEqualTo(10);
  }

  @Test
  void shouldRoundTripThroughItsSerde() {
    UserFeatures features = UserFeatures.EMPTY.withEvent(event("a", "view", 10), 5);
    var serde = FeatureSerdes.userFeatures();

    assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", features)))
        .isEqualTo(features);
  }

  @Test
  void shouldMoveToAnItemOnlyWhenItDiffersFromTheNewest() {
    UserFeatures features = UserFeatures.EMPTY;
    assertThat(features.movesTo("a")).isTrue();
    features = features.withEvent(event("a", "view", 1), 5);
    assertThat(features.movesTo("a")).isFalse();
    assertThat(features.movesTo("b")).isTrue();
  }
}
