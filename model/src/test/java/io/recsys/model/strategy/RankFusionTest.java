package io.recsys.model.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankFusionTest {
  private final RankFusion fusion = new RankFusion(0);

  @Test
  void shouldRaiseItemsThatSeveralListsAgreeOn() {
    List<RankFusion.Fused<String>> fused =
        new RankFusion(2)
            .fuse(List.of(List.of("a", "b", "c"), List.of("d", "b", "e")), new double[] {1, 1}, 3);

    assertThat(fused).extracting(RankFusion.Fused::item).containsExactly("b", "a", "d");
    assertThat(fused.get(0).score()).isCloseTo(1 / 4.0 + 1 / 4.0, within(1e-12));
  }

  @Test
  void shouldLetTheHeavierListLead() {
    List<RankFusion.Fused<String>> fused =
        fusion.fuse(List.of(List.of("a", "b"), List.of("c", "d")), new double[] {0.1, 0.5}, 4);

    assertThat(fused).extracting(RankFusion.Fused::item).containsExactly("c", "d", "a", "b");
  }

  @Test
  void shouldLeaveOutListsWithoutWeight() {
    List<RankFusion.Fused<String>> fused =
        fusion.fuse(List.of(List.of("a"), List.of("b")), new double[] {0, 1}, 5);

    assertThat(fused).extracting(RankFusion.Fused::item).containsExactly("b");
  }

  @Test
  void shouldKeepFirstMetOrderAmongEqualScores() {
    List<RankFusion.Fused<String>> fused =
        fusion.fuse(List.of(List.of("z"), List.of("a")), new double[] {1, 1}, 2);

    assertThat(fused).extracting(RankFusion.Fused::item).containsExactly("z", "a");
  }

  @Test
  void shouldRequireOneWeightPerList() {
    assertThatThrownBy(() -> fusion.fuse(List.of(List.of("a")), new double[] {1, 1}, 1))
        .hasMessageContaining("weights");
  }
}
