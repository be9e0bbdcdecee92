package io.recsys.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SequenceStateTest {
  private static final int ITEMS = 50;

  private static NextItemModel trained(ModelConfig config) {
    NextItemModel model = NextItemModel.create(config, new VocabularyConfig(64, 64, 1, 0));
    SplittableRandom data = new SplittableRandom(21);
    for (int b = 0; b < 5; b++) {
      model.train(SyntheticData.batch(data, 64, ITEMS, 4));
    }
    return model;
  }

  private static List<String> ids(List<RecommendedItem> items) {
    return items.stream().map(RecommendedItem::itemId).toList();
  }

  @Test
  void shouldRecommendFromStepsAsFromTheWholeHistoryWhileItFitsTheWindow() {
    NextItemModel model = trained(SyntheticData.smallConfig(LossType.FULL_SOFTMAX));
    // Window 10: histories of 1 to 10 items, stepped one item at a time from the first.
    List<String> history = SyntheticData.history(30, 10, ITEMS);
    SequenceState stepped = null;
    for (int n = 1; n <= history.size(); n++) {
      List<String> prefix = history.subList(0, n);
      stepped = model.step(Collections.singletonList(stepped), List.of(prefix.get(n - 1))).get(0);

      List<RecommendedItem> fromSteps =
          model.recommend(List.of(stepped), List.of(prefix), 10).get(0);
      List<RecommendedItem> fromHistory = model.recommend(List.of(prefix), 10).get(0);
      assertThat(ids(fromSteps)).as("after %d items", n).isEqualTo(ids(fromHistory));
      for (int i = 0; i < fromSteps.size(); i++) {
        assertThat(fromSteps.get(i).score()).isCloseTo(fromHistory.get(i).score(), within(1e-4));
      }
    }
  }

  @Test
  void shouldTrainFromTheStateBeforeTheNewestStepsAsFromTheWholeSequence() {
    ModelConfig config = SyntheticData.smallConfig(LossType.FULL_SOFTMAX); // backprop 3, no dropout
    NextItemModel whole = trained(config);
    NextItemModel split = trained(config);
    NextItemModel fresh = trained(config);
    SplittableRandom data = new SplittableRandom(5);
    List<TrainingExample> examples = new ArrayList<>();
    List<List<String>> prefixes = new ArrayList<>();
    List<TrainingExample> newest = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int last = data.nextInt(ITEMS);
      List<String> sequence = SyntheticData.history(last, 1 + i % 10, ITEMS);
      String target = SyntheticData.item(last + 1, ITEMS);
      int cut = Math.max(0, sequence.size() - config.backpropSteps());
      examples.add(new TrainingExample(sequence, target, 1.0, i));
      prefixes.add(sequence.subList(0, cut));
      newest.add(new TrainingExample(sequence.subList(cut, sequence.size()), target, 1.0, i));
    }

    TrainingStats fromWhole = whole.train(examples);
    TrainingStats fromStates = split.train(newest, split.states(prefixes));
    TrainingStats fromNothing = fresh.train(newest, Collections.nCopies(newest.size(), null));

    // Only the newest steps get gradients either way: the same loss, the same update.
    assertThat(fromStates.examples()).isEqualTo(fromWhole.examples()).isEqualTo(40);
    assertThat(fromStates.meanLoss()).isCloseTo(fromWhole.meanLoss(), within(1e-5));
    assertThat(fromNothing.meanLoss()).isNotCloseTo(fromWhole.meanLoss(), within(1e-3));
    List<List<String>> probes = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      probes.add(SyntheticData.history(7 * k, 1 + k, ITEMS));
    }
    List<List<RecommendedItem>> expected = whole.recommend(probes, 10);
    List<List<RecommendedItem>> actual = split.recommend(probes, 10);
    for (int k = 0; k < probes.size(); k++) {
      assertThat(ids(actual.get(k))).as("probe %d", k).isEqualTo(ids(expected.get(k)));
      for (int i = 0; i < 10; i++) {
        assertThat(actual.get(k).get(i).score())
            .isCloseTo(expected.get(k).get(i).score(), within(1e-3));
      }
    }
  }

  @Test
  void shouldStepManyUsersInOneBatchAsOneByOne() {
    NextItemModel model = trained(SyntheticData.smallConfig(LossType.FULL_SOFTMAX));
    List<List<String>> histories = new ArrayList<>();
    List<String> next = new ArrayList<>();
    for (int u = 0; u < 7; u++) {
      histories.add(SyntheticData.history(3 * u + 4, 1 + u % 4, ITEMS));
      next.add("item-" + (5 * u % ITEMS));
    }
    List<SequenceState> batched = model.step(model.states(histories), next);
    for (int u = 0; u < histories.size(); u++) {
      SequenceState alone =
          model.step(model.states(List.of(histories.get(u))), List.of(next.get(u))).get(0);
      assertThat(ids(model.recommend(List.of(batched.get(u)), List.of(List.of()), 10).get(0)))
          .isEqualTo(ids(model.recommend(List.of(alone), List.of(List.of()), 10).get(0)));
    }
  }

  @Test
  void shouldKeepTheStateForAnUnknownItemAndStartFreshFromNone() {
    NextItemModel model = trained(SyntheticData.smallConfig(LossType.FULL_SOFTMAX));
    List<String> history = List.of("item-3", "item-4", "item-5");
    SequenceState state = model.states(List.of(history)).get(0);

    SequenceState afterUnknown = model.step(List.of(state), List.of("never-seen")).get(0);
    SequenceState fresh = model.step(Collections.singletonList(null), List.of("item-9")).get(0);

    assertThat(afterUnknown).isSameAs(state);
    assertThat(ids(model.recommend(List.of(fresh), List.of(List.of()), 10).get(0)))
        .isEqualTo(ids(model.recommend(List.of(List.of("item-9")), 10).get(0)));
    assertThat(model.states(List.of(List.of("never-seen"))).get(0)).isNull();
    assertThat(model.recommend(Collections.singletonList(null), List.of(List.of()), 10).get(0))
        .isEmpty();
  }

  @Test
  void shouldRefuseAStateOfAnotherHiddenSize() {
    NextItemModel small = trained(SyntheticData.smallConfig(LossType.FULL_SOFTMAX));
    NextItemModel wide =
        trained(
            SyntheticData.smallConfig(LossType.FULL_SOFTMAX).toBuilder()
                .embeddingSize(16)
                .hiddenSize(48)
                .build());
    SequenceState state = small.states(List.of(List.of("item-1", "item-2"))).get(0);

    assertThatThrownBy(() -> wide.step(List.of(state), List.of("item-3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hidden size 48");
    assertThatThrownBy(() -> wide.recommend(List.of(state), List.of(List.of()), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hidden size 48");
  }
}
