package io.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CarriedStatesTest {
  private static final int WINDOW = 6;
  private static final int ITEMS = 30;
  private static NextItemModel model;

  @BeforeAll
  static void train() {
    model = trained();
  }

  private static NextItemModel trained() {
    NextItemModel trained =
        NextItemModel.create(
            ModelConfig.defaults().toBuilder()
                .embeddingSize(8)
                .hiddenSize(16)
                .sequenceLength(WINDOW)
                .dropout(0.0)
                .learningRate(0.01)
                .loss(LossType.FULL_SOFTMAX)
                .build(),
            new VocabularyConfig(64, 64, 1, 0));
    SplittableRandom rng = new SplittableRandom(3);
    for (int b = 0; b < 5; b++) {
      trainOnce(trained, rng);
    }
    return trained;
  }

  private static void trainOnce(NextItemModel target, SplittableRandom rng) {
    List<TrainingExample> batch = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int start = rng.nextInt(ITEMS);
      List<String> seq = new ArrayList<>();
      for (int j = 0; j < 3; j++) {
        seq.add(item(start + j));
      }
      batch.add(new TrainingExample(seq, item(start + 3), 1.0, 0));
    }
    target.train(batch);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static String item(int i) {
    return "item-" + Math.floorMod(i, ITEMS);
  }

  /** A served version as serving holds one: the model and its lineage. */
  private record Served(NextItemModel model, long lineage) implements ServedModel {
    @Override
    public List<SequenceState> states(List<List<String>> histories) {
      return model.states(histories);
    }

    @Override
    public List<SequenceState> step(List<SequenceState> states, List<String> items) {
      return model.step(states, items);
    }

    @Override
    public List<List<RecommendedItem>> recommendFrom(
        List<SequenceState> states, List<List<String>> excluded, int k) {
      return model.recommend(states, excluded, k);
    }

    @Override
    public List<List<RecommendedItem>> recommendExhaustivelyFrom(
        List<SequenceState> states, List<List<String>> excluded, int k) {
      return model.recommendExhaustively(states, excluded, k);
    }
  }

  private static Served loaded(long lineage) {
    return new Served(model, lineage);
  }

  /** The user's window after {@code events} items, as serving passes it. */
  private static List<String> window(List<String> items, int events) {
    return items.subList(Math.max(0, events - WINDOW), events);
  }

  private static List<String> ids(List<RecommendedItem> list) {
    return list.stream().map(RecommendedItem::itemId).toList();
  }

  @Test
  void shouldStepAUserWhoseWindowContinuesAndGiveTheReReadListsWhileTheWindowIsNotFull() {
    CarriedStates states = new CarriedStates(100, 1000);
    List<String> items = List.of(item(4), item(5), item(6), item(7), item(8), item(9));

    for (int events = 1; events <= WINDOW; events++) {
      List<String> history = window(items, events);
      List<RecommendedItem> carried =
          states.recommend(loaded(1), List.of("u"), List.of(history), 10).get(0);
      assertThat(ids(carried))
          .as("after %d events", events)
          .isEqualTo(ids(model.recommend(List.of(history), 10).get(0)));
    }
    assertThat(states.reread()).isEqualTo(1);
    assertThat(states.stepped()).isEqualTo(WINDOW - 1);
  }

  @Test
  void shouldReReadAfterTheStepBoundANewLineageAndABreakInTheHistoryAndStepARepeatInOneBatch() {
    CarriedStates states = new CarriedStates(2, 1000);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      items.add(item(i));
    }
    // Events 1-3: re-read, step, step; event 4: the bound of 2 steps forces a re-read.
    for (int events = 1; events <= 4; events++) {
      states.recommend(loaded(1), List.of("u"), List.of(window(items, events)), 10);
    }
    assertThat(states.reread()).isEqualTo(2);
    assertThat(states.stepped()).isEqualTo(2);

    // A snapshot starts a new lineage: states computed with older weights are dropped.
    states.recommend(loaded(2), List.of("u"), List.of(window(items, 5)), 10);
    assertThat(states.reread()).isEqualTo(3);

    // A history that is not the carried one plus one item (an event went elsewhere).
    states.recommend(loaded(2), List.of("u"), List.of(window(items, 7)), 10);
    assertThat(states.reread()).isEqualTo(4);

    // Two events of one user in one batch: the second steps the state the first one made.
    List<List<RecommendedItem>> both =
        states.recommend(
            loaded(2), List.of("u", "u"), List.of(window(items, 8), window(items, 9)), 10);
    assertThat(states.stepped()).isEqualTo(4);
    assertThat(states.reread()).isEqualTo(4);
    // The window is full: the state is the re-read of event 7 stepped by items 8 and 9.
    SequenceState seventh = model.states(List.of(window(items, 7))).get(0);
    SequenceState eighth = model.step(List.of(seventh), List.of(items.get(7))).get(0);
    SequenceState ninth = model.step(List.of(eighth), List.of(items.get(8))).get(0);
    assertThat(ids(both.get(1)))
        .isEqualTo(ids(model.recommend(List.of(ninth), List.of(window(items, 9)), 10).get(0)));
    // ... and the later event's state is the one carried on; the bound of 2 steps holds.
    states.recommend(loaded(2), List.of("u"), List.of(window(items, 10)), 10);
    assertThat(states.reread()).isEqualTo(5);
  }

  @Test
  void shouldKeepTheStateOfAnEventThatDidNotMoveTheUserAcrossBatchesAndWithinOne() {
    CarriedStates states = new CarriedStates(100, 1000);
    List<String> items = List.of(item(2), item(3), item(4));
    List<String> expected = ids(model.recommend(List.of(window(items, 2)), 10).get(0));

    states.recommend(loaded(1), List.of("u"), List.of(window(items, 2)), 10);
    // A click after the view of the same item: the history has not moved.
    List<RecommendedItem> repeat =
        states.recommend(loaded(1), List.of("u"), List.of(window(items, 2)), 10).get(0);
    // View, click and cart of the next item in one batch.
    List<List<String>> funnel = List.of(window(items, 3), window(items, 3), window(items, 3));
    List<List<RecommendedItem>> inOneBatch =
        states.recommend(loaded(1), List.of("u", "u", "u"), funnel, 10);

    assertThat(ids(repeat)).isEqualTo(expected);
    List<String> afterThird = ids(model.recommend(List.of(window(items, 3)), 10).get(0));
    for (List<RecommendedItem> list : inOneBatch) {
      assertThat(ids(list)).isEqualTo(afterThird);
    }
    assertThat(states.reread()).isEqualTo(1);
    assertThat(states.stepped()).isEqualTo(1);
    assertThat(states.kept()).isEqualTo(3);
    assertThat(states.reused()).as("the funnel's later two events").isEqualTo(2);
  }

  @Test
  void shouldGiveTheCheckedEventsTheListEveryItemScoredGivesFromTheStateTheirListCameFrom() {
    CarriedStates states = new CarriedStates(100, 1000);
    List<String> items = List.of(item(5), item(6), item(7));
    states.recommend(loaded(1), List.of("u"), List.of(window(items, 2)), 10);
    // A stepped state (not a re-read) and an unknown user's re-read, both checked; "w" is not.
    BitSet check = new BitSet();
    check.set(0);
    check.set(2);
    CarriedStates.Checked checked =
        states.recommend(
            loaded(1),
            List.of("u", "w", "v"),
            List.of(window(items, 3), List.of(item(8)), List.of(item(9), item(10))),
            10,
            check);

    assertThat(checked.exhaustive()).containsOnlyKeys(0, 2);
    // Without an index the model's lists are every item scored, so the two agree.
    assertThat(ids(checked.exhaustive().get(0))).isEqualTo(ids(checked.lists().get(0)));
    assertThat(ids(checked.exhaustive().get(2))).isEqualTo(ids(checked.lists().get(2)));
    assertThat(ids(checked.exhaustive().get(0)))
        .hasSize(10)
        .doesNotContainAnyElementsOf(window(items, 3));
    assertThat(states.stepped()).isEqualTo(1);
  }

  @Test
  void shouldReuseAKeptStatesListUnderTheSameVersionAndScoreItAgainUnderTheNext() {
    try (NextItemModel own = trained()) {
      CarriedStates states = new CarriedStates(100, 1000);
      List<String> history = List.of(item(2), item(3));
      SequenceState read = own.states(List.of(history)).get(0);
      Served first = new Served(own, 1);

      List<RecommendedItem> computed =
          states.recommend(first, List.of("u"), List.of(history), 10).get(0);
      List<RecommendedItem> repeat =
          states.recommend(first, List.of("u"), List.of(history), 10).get(0);
      assertThat(states.reused()).isEqualTo(1);
      assertThat(repeat).isEqualTo(computed).isEqualTo(own.recommend(List.of(history), 10).get(0));

      // The weights move and their next version arrives as a delta: same lineage, so the state
      // is kept, but its list must be scored with the new weights.
      trainOnce(own, new SplittableRandom(9));
      Served second = new Served(own, 1);
      List<RecommendedItem> next =
          states.recommend(second, List.of("u"), List.of(history), 10).get(0);
      assertThat(states.kept()).isEqualTo(2);
      assertThat(states.reused()).isEqualTo(1);
      assertThat(next)
          .isEqualTo(own.recommend(List.of(read), List.of(history), 10).get(0))
          .isNotEqualTo(computed);
    }
  }

  @Test
  void shouldKeepNoStateWhenStepsAreOffAndEvictTheLeastRecentUser() {
    CarriedStates off = new CarriedStates(0, 1000);
    List<String> items = List.of(item(1), item(2), item(3));
    for (int events = 1; events <= 3; events++) {
      off.recommend(loaded(1), List.of("u"), List.of(window(items, events)), 10);
    }
    assertThat(off.stepped()).isZero();

    CarriedStates small = new CarriedStates(100, 1);
    small.recommend(loaded(1), List.of("a"), List.of(window(items, 1)), 10);
    small.recommend(loaded(1), List.of("b"), List.of(window(items, 1)), 10);
    small.recommend(loaded(1), List.of("a"), List.of(window(items, 2)), 10);
    assertThat(small.stepped()).as("a was evicted by b").isZero();
  }

  @Test
  void shouldContinueOnlyWhatEndsWithTheHistoryBeforeItsNewestItem() {
    assertThat(CarriedStates.continues(List.of("a", "b"), List.of("a", "b", "c"))).isTrue();
    assertThat(CarriedStates.continues(List.of("a", "b", "c"), List.of("b", "c", "d"))).isTrue();
    assertThat(CarriedStates.continues(List.of("a", "b"), List.of("a", "c", "d"))).isFalse();
    assertThat(CarriedStates.continues(List.of("a"), List.of("z"))).isFalse();
    assertThat(CarriedStates.continues(List.of("b"), List.of("a", "b", "c"))).isFalse();
  }
}
