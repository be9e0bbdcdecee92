package io.recsys.app.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerPositionTest {
  @Test
  void shouldReadACheckpointWrittenBeforePromotionsExisted() {
    TrainerPosition position = TrainerPosition.parse("0=120,1=98");
    assertThat(position.offsets().next())
        .containsExactlyInAnyOrderEntriesOf(Map.of(0, 120L, 1, 98L));
    assertThat(position.base()).isNull();
    assertThat(position.promotions()).isEmpty();
    assertThat(position.format()).isEqualTo("0=120,1=98");
  }

  @Test
  void shouldRoundTripTheLineageAndThePromotionPosition() {
    TrainerPosition position =
        new TrainerPosition(
            new TrainedOffsets(Map.of(1, 98L, 0, 120L)), "v3", 1500, Map.of(0, 457L));
    String text = position.format();

    assertThat(text).isEqualTo("0=120,1=98;base=v3@1500;model-updates=0:457");
    assertThat(TrainerPosition.parse(text)).isEqualTo(position);
  }

  @Test
  void shouldKeepAnEmptyPositionEmpty() {
    assertThat(TrainerPosition.parse("").format()).isEmpty();
    assertThat(TrainerPosition.parse(";model-updates=0:5").promotions()).containsEntry(0, 5L);
  }

  @Test
  void shouldRejectAnUnknownSegmentNamingIt() {
    assertThatThrownBy(() -> TrainerPosition.parse("0=1;colour=blue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("colour");
  }
}
