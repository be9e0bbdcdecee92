package io.recsys.model.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.data.Interaction;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaveOneOutSplitterTest {
  private static Interaction at(String user, String item, long t) {
    return new Interaction(user, item, 1, t);
  }

  @Test
  void shouldHoldOutLastAsTestAndSecondToLastAsValidation() {
    List<UserSplit> splits =
        LeaveOneOutSplitter.split(
            List.of(
                at("u", "d", 40),
                at("u", "a", 10),
                at("u", "c", 30),
                at("u", "b", 20),
                at("v", "x", 5),
                at("v", "y", 6)));
    // v has only two interactions: it cannot be evaluated.
    assertThat(splits).hasSize(1);
    UserSplit u = splits.get(0);
    assertThat(u.train()).containsExactly("a", "b");
    assertThat(u.validation()).isEqualTo("c");
    assertThat(u.test()).isEqualTo("d");
    assertThat(u.validationInput()).containsExactly("a", "b");
    assertThat(u.testInput()).containsExactly("a", "b", "c");
  }

  @Test
  void shouldKeepFileOrderForEqualTimestamps() {
    List<UserSplit> splits =
        LeaveOneOutSplitter.split(
            List.of(at("u", "a", 1), at("u", "b", 2), at("u", "c", 2), at("u", "d", 2)));
    assertThat(splits.get(0).train()).containsExactly("a", "b");
    assertThat(splits.get(0).validation()).isEqualTo("c");
    assertThat(splits.get(0).test()).isEqualTo("d");
  }

  @Test
  void shouldNeverPutTheTestInteractionIntoTrainingOrValidationInput() {
    // The same item may legitimately recur; what must never leak is the test *event*.
    List<Interaction> log =
        List.of(
            at("u", "a", 1), at("u", "b", 2), at("u", "c", 3), at("u", "e", 4), at("u", "t", 5));
    UserSplit u = LeaveOneOutSplitter.split(log).get(0);
    assertThat(u.train()).hasSize(3).doesNotContain("t");
    assertThat(u.validationInput()).doesNotContain("t");
    assertThat(u.testInput()).doesNotContain("t");
    assertThat(u.train().size() + 2).isEqualTo(log.size());
  }
}
