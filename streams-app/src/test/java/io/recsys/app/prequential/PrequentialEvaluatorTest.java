package io.recsys.app.prequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.schemas.JsonSerde;
import io.recsys.schemas.Strategy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrequentialEvaluatorTest {
  private static HeldLists held(List<String> model, List<String> exhaustive) {
    return new HeldLists(model, List.of("p"), List.of(), List.of(), Strategy.MODEL, 3, exhaustive);
  }

  @Test
  void shouldScoreTheIndexAndEveryItemScoredOnlyOnTheCheckedEventsAndOnTheSameOnes() {
    PrequentialEvaluator evaluator = new PrequentialEvaluator();
    // Unchecked: counts for the model, not for the check.
    evaluator.record("a", held(List.of("a"), List.of()));
    // Checked: the index missed what every item scored found, then both hit, then both missed.
    evaluator.record("b", held(List.of("x", "y"), List.of("y", "b")));
    evaluator.record("c", held(List.of("c"), List.of("c")));
    evaluator.record("d", held(List.of("x"), List.of("y")));

    PrequentialEvaluator.IndexCheck check = evaluator.indexCheck();
    assertThat(check.index().events()).isEqualTo(3);
    assertThat(check.exhaustive().events()).isEqualTo(3);
    assertThat(check.index().hitRate10()).isCloseTo(1.0 / 3, within(1e-9));
    assertThat(check.exhaustive().hitRate10()).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(check.relativeHitRate()).isCloseTo(-0.5, within(1e-9));
    // One event of three where only every item scored hit: differences -1, 0, 0.
    assertThat(check.exhaustiveOnlyHits()).isEqualTo(1);
    assertThat(check.indexOnlyHits()).isZero();
    double variance = 1.0 / 3 - 1.0 / 9;
    assertThat(check.relativeHitRateError())
        .isCloseTo(Math.sqrt(variance / 3) / (2.0 / 3), within(1e-9));
    assertThat(evaluator.totals().model().events()).isEqualTo(4);
  }

  @Test
  void shouldReadHeldListsStoredBeforeTheCheckExisted() {
    String before =
        "{\"model\":[\"a\"],\"popularity\":[\"p\"],\"cooccurrence\":[],\"blend\":[],"
            + "\"served\":\"model\",\"historyLength\":2}";
    try (JsonSerde<HeldLists> serde = new JsonSerde<>(HeldLists.class)) {
      HeldLists read =
          serde.deserializer().deserialize("t", before.getBytes(StandardCharsets.UTF_8));
      assertThat(read.exhaustive()).isEmpty();
      assertThat(read.model()).containsExactly("a");

      HeldLists checked = held(List.of("a"), List.of("b"));
      assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", checked)))
          .isEqualTo(checked);
    }
  }
}
