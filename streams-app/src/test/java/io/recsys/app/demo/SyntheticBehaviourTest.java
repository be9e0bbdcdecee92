package io.recsys.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.schemas.UserEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyntheticBehaviourTest {
  private static final int EVENTS = 100_000;

  private static List<UserEvent> generate(long seed, int count) {
    SyntheticBehaviour behaviour = SyntheticBehaviour.create(seed);
    List<UserEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(behaviour.next());
    }
    return events;
  }

  private static int item(UserEvent event) {
    return Integer.parseInt(event.itemId().substring("item-".length()));
  }

  @Test
  void shouldBeDeterministicForASeed() {
    assertThat(generate(7, 1000)).isEqualTo(generate(7, 1000));
    assertThat(generate(7, 1000)).isNotEqualTo(generate(8, 1000));
  }

  @Test
  void shouldAdvanceEventTime() {
    List<UserEvent> events = generate(1, EVENTS);
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).eventTime()).isGreaterThanOrEqualTo(events.get(i - 1).eventTime());
    }
    assertThat(events.get(events.size() - 1).eventTime()).isGreaterThan(events.get(0).eventTime());
  }

  @Test
  void shouldConcentrateEventsOnFewPopularItems() {
    Map<String, Integer> counts = new HashMap<>();
    generate(1, EVENTS).forEach(event -> counts.merge(event.itemId(), 1, Integer::sum));
    List<Integer> sorted = counts.values().stream().sorted((a, b) -> b - a).toList();
    int top = sorted.subList(0, Math.max(1, sorted.size() / 100)).stream().mapToInt(i -> i).sum();

    // A uniform catalogue would give the top 1% of items about 1% of the events.
    assertThat((double) top / EVENTS).isGreaterThan(0.10);
  }

  @Test
  void shouldSpreadALargeCatalogueWithALongTail() {
    SyntheticBehaviour behaviour =
        new SyntheticBehaviour(SyntheticBehaviourConfig.scaled(3, 200_000, 50_000));
    assertThat(behaviour.catalogueSize()).isGreaterThanOrEqualTo(200_000);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < EVENTS; i++) {
      counts.merge(behaviour.next().itemId(), 1, Integer::sum);
    }
    List<Integer> sorted = counts.values().stream().sorted((a, b) -> b - a).toList();
    int top = sorted.subList(0, Math.max(1, sorted.size() / 100)).stream().mapToInt(i -> i).sum();
    // Many distinct items (not a few categories' worth), and still a head: skewed categories.
    assertThat(counts.size()).isGreaterThan(10_000);
    assertThat((double) top / EVENTS).isGreaterThan(0.05);
  }

  @Test
  void shouldFollowSeriesFarMoreOftenThanChance() {
    Map<String, Integer> lastItem = new HashMap<>();
    int transitions = 0;
    int nextInSeries = 0;
    for (UserEvent event : generate(1, EVENTS)) {
      Integer previous = lastItem.put(event.userId(), item(event));
      if (previous != null && previous != item(event)) {
        transitions++;
        if (item(event) == previous + 1) {
          nextInSeries++;
        }
      }
    }
    // Chance of hitting one given item of ~3,000 is ~0.03%.
    assertThat((double) nextInSeries / transitions).isGreaterThan(0.2);
  }

  @Test
  void shouldGrowTheCatalogueAndMakeFunnels() {
    SyntheticBehaviour behaviour = SyntheticBehaviour.create(3);
    int initial = behaviour.catalogueSize();
    Map<String, Integer> types = new HashMap<>();
    for (int i = 0; i < EVENTS; i++) {
      UserEvent event = behaviour.next();
      types.merge(event.eventType(), 1, Integer::sum);
      if (event.eventType().equals("rating")) {
        assertThat(event.value()).isBetween(1.0, 5.0);
      }
    }

    assertThat(behaviour.catalogueSize()).isGreaterThan(initial);
    assertThat(types.get("view")).isGreaterThan(types.get("click"));
    assertThat(types.get("click")).isGreaterThan(types.get("cart"));
    assertThat(types.get("cart")).isGreaterThan(types.get("purchase"));
    assertThat(types).containsKey("rating");
  }
}
