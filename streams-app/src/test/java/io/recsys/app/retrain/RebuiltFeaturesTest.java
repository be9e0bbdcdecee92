package io.recsys.app.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.features.UserFeatures;
import io.recsys.model.data.Interaction;
import io.recsys.schemas.UserEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real RocksDB in a temporary directory. */
class RebuiltFeaturesTest {
  @TempDir Path dir;

  private static UserEvent event(String user, String item, String type, long time) {
    return new UserEvent(user, item, type, null, time);
  }

  @Test
  void shouldRebuildFeaturesAsTheLivePipelineAndHistoriesInEventTimeOrder() throws Exception {
    try (RebuiltFeatures store = new RebuiltFeatures(dir.resolve("f"), 2)) {
      // Read order is not time order: the store sorts by event time, ties in read order.
      store.addEvent(event("u10", "b", "view", 200), 1);
      store.addEvent(event("u10", "a", "view", 100), 1);
      store.addEvent(event("u2", "x", "view", 150), 1);
      store.addEvent(event("u10", "c", "view", 200), 1);
      store.addEvent(event("u10", "c", "cart", 300), 4); // same item again: one step
      store.addEvent(event("u10", "d", "view", 400), 1);

      assertThat(store.users()).isEqualTo(2);
      UserFeatures u10 = store.features("u10");
      // The features follow the live update rule (UserFeatures.withEvent), in read order.
      UserFeatures expected = UserFeatures.EMPTY;
      for (UserEvent e :
          List.of(
              event("u10", "b", "view", 200),
              event("u10", "a", "view", 100),
              event("u10", "c", "view", 200),
              event("u10", "c", "cart", 300),
              event("u10", "d", "view", 400))) {
        expected = expected.withEvent(e, 2);
      }
      assertThat(u10).isEqualTo(expected);
      assertThat(store.features("nobody")).isNull();

      assertThat(store.interactions())
          .containsExactly(
              new Interaction("u10", "a", 1, 100),
              new Interaction("u2", "x", 1, 150),
              new Interaction("u10", "b", 1, 200),
              new Interaction("u10", "c", 1, 200),
              new Interaction("u10", "d", 1, 400));
    }
  }

  @Test
  void shouldRefuseADirectoryThatHoldsSomething() throws Exception {
    Files.writeString(dir.resolve("live-state"), "x");
    assertThatThrownBy(() -> new RebuiltFeatures(dir, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not empty");
  }
}
