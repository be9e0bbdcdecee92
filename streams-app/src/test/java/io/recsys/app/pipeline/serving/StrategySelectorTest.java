package io.recsys.app.pipeline.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.config.RecsysConfig;
import io.recsys.app.config.RecsysSettings;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategySelectorTest {
  private static StrategySelector selector(Map<String, String> config) {
    Map<String, String> all = new java.util.HashMap<>(config);
    all.putIfAbsent(RecsysConfig.SERVING_EXPLORATION_CONFIG, "0");
    all.putIfAbsent(RecsysConfig.SERVING_EVIDENCE_MIN_EVENTS_CONFIG, "5");
    RecsysSettings settings = RecsysConfig.parse(all);
    return new StrategySelector(settings.serving().selection());
  }

  private static Recommendation list(Strategy strategy, String... items) {
    return new Recommendation(
        Recommendation.SCHEMA_VERSION,
        "u1",
        java.util.Arrays.stream(items).map(item -> new ScoredItem(item, 1.0)).toList(),
        strategy.wireName(),
        strategy,
        1L,
        2L,
        "because " + strategy.wireName());
  }

  private static Map<Strategy, Recommendation> allLists() {
    Map<Strategy, Recommendation> lists = new EnumMap<>(Strategy.class);
    lists.put(Strategy.MODEL, list(Strategy.MODEL, "m1", "m2", "shared"));
    lists.put(Strategy.COOCCURRENCE, list(Strategy.COOCCURRENCE, "c1", "shared", "c2"));
    lists.put(Strategy.POPULARITY, list(Strategy.POPULARITY, "p1", "p2", "p3"));
    return lists;
  }

  @Test
  void shouldServeTheStrategyThatWinsForUsersWithTheSameHistoryLength() {
    StrategySelector selector = selector(Map.of());
    for (int i = 0; i < 20; i++) {
      // Short histories: co-occurrence wins. Long ones: the model.
      selector.record(3, Map.of(Strategy.MODEL, 0.1, Strategy.COOCCURRENCE, 0.6));
      selector.record(40, Map.of(Strategy.MODEL, 0.7, Strategy.COOCCURRENCE, 0.2));
      selector.record(3, Map.of(Strategy.POPULARITY, 0.05, Strategy.BLEND, 0.3));
      selector.record(40, Map.of(Strategy.POPULARITY, 0.05, Strategy.BLEND, 0.3));
    }

    assertThat(selector.choose(3, allLists(), 3, true).served().strategy())
        .isEqualTo(Strategy.COOCCURRENCE);
    assertThat(selector.choose(40, allLists(), 3, true).served().strategy())
        .isEqualTo(Strategy.MODEL);
  }

  @Test
  void shouldServeTheBlendWhereItWins() {
    StrategySelector selector = selector(Map.of());
    for (int i = 0; i < 20; i++) {
      selector.record(
          5,
          Map.of(
              Strategy.MODEL,
              0.2,
              Strategy.COOCCURRENCE,
              0.2,
              Strategy.POPULARITY,
              0.0,
              Strategy.BLEND,
              0.5));
    }

    StrategySelector.Choice choice = selector.choose(5, allLists(), 3, true);

    assertThat(choice.served().strategy()).isEqualTo(Strategy.BLEND);
    // The item both strong lists hold comes first; popularity weighs nothing.
    assertThat(choice.served().items()).extracting(ScoredItem::itemId).startsWith("shared");
    assertThat(choice.served().items()).extracting(ScoredItem::itemId).doesNotContain("p1");
    assertThat(choice.served().modelVersion()).isEqualTo("model");
  }

  @Test
  void shouldServeTheBlendUntilThereIsEvidenceAndPopularityWhenItIsAlone() {
    StrategySelector selector = selector(Map.of());

    assertThat(selector.choose(5, allLists(), 3, true).served().strategy())
        .isEqualTo(Strategy.BLEND);
    Map<Strategy, Recommendation> popularOnly = new EnumMap<>(Strategy.class);
    popularOnly.put(Strategy.POPULARITY, list(Strategy.POPULARITY, "p1"));
    popularOnly.put(Strategy.MODEL, null);
    StrategySelector.Choice alone = selector.choose(5, popularOnly, 3, true);
    assertThat(alone.served().strategy()).isEqualTo(Strategy.POPULARITY);
    assertThat(alone.blend()).isNull();
  }

  @Test
  void shouldServeAFixedStrategyWhereItHasAListAndPopularityElsewhere() {
    StrategySelector selector =
        selector(Map.of(RecsysConfig.SERVING_STRATEGY_CONFIG, "cooccurrence"));
    for (int i = 0; i < 20; i++) {
      selector.record(5, Map.of(Strategy.MODEL, 0.9, Strategy.COOCCURRENCE, 0.1));
    }

    assertThat(selector.choose(5, allLists(), 3, true).served().strategy())
        .isEqualTo(Strategy.COOCCURRENCE);
    Map<Strategy, Recommendation> noNeighbours = allLists();
    noNeighbours.put(Strategy.COOCCURRENCE, null);
    assertThat(selector.choose(5, noNeighbours, 3, true).served().strategy())
        .isEqualTo(Strategy.POPULARITY);
  }

  @Test
  void shouldServeOtherStrategiesAboutAsOftenAsTheExplorationShare() {
    StrategySelector selector = selector(Map.of(RecsysConfig.SERVING_EXPLORATION_CONFIG, "0.2"));
    for (int i = 0; i < 20; i++) {
      selector.record(5, Map.of(Strategy.COOCCURRENCE, 0.9, Strategy.MODEL, 0.1));
    }
    int others = 0;
    int draws = 5000;
    for (int i = 0; i < draws; i++) {
      if (selector.choose(5, allLists(), 3, true).served().strategy() != Strategy.COOCCURRENCE) {
        others++;
      }
    }

    assertThat(others / (double) draws).isBetween(0.15, 0.25);
    // The query API never explores.
    for (int i = 0; i < 200; i++) {
      assertThat(selector.choose(5, allLists(), 3, false).served().strategy())
          .isEqualTo(Strategy.COOCCURRENCE);
    }
  }

  @Test
  void shouldReportEachStrategysFigurePerHistoryBucket() {
    StrategySelector selector = selector(Map.of());
    for (int i = 0; i < 10; i++) {
      selector.record(1, Map.of(Strategy.POPULARITY, 0.25));
    }

    double[] popularity = selector.evidence().get(Strategy.POPULARITY);
    assertThat(popularity[0]).isEqualTo(0.25);
    assertThat(selector.evidence().get(Strategy.MODEL)).containsOnly(Double.NaN);
    assertThat(List.of(Strategy.values())).allMatch(s -> selector.evidence().containsKey(s));
  }
}
