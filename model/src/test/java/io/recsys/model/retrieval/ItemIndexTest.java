package io.recsys.model.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import io.recsys.model.bench.LongTailBehaviour;
import io.recsys.model.internal.TopK;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ItemIndexTest {
  private static final int ITEMS = 20_000;
  private static final int WIDTH = 32;

  /** Far fewer than the default, so that a weak graph shows (200 candidates would hide it). */
  private static final int CANDIDATES = 20;

  /** Output rows with norms and biases that vary from item to item, as a trained model's do. */
  private static ItemVectors randomItems(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] weights = new float[ITEMS * WIDTH];
    float[] bias = new float[ITEMS];
    for (int row = 0; row < ITEMS; row++) {
      double scale = 0.5 + rng.nextDouble();
      for (int j = 0; j < WIDTH; j++) {
        weights[row * WIDTH + j] = (float) (scale * rng.nextGaussian());
      }
      bias[row] = (float) (rng.nextGaussian() * 0.5);
    }
    return new ItemVectors(ITEMS, WIDTH, weights, bias, row -> row % 97 != 0);
  }

  private static float[] query(SplittableRandom rng) {
    float[] q = new float[WIDTH];
    for (int j = 0; j < WIDTH; j++) {
      q[j] = (float) rng.nextGaussian();
    }
    return q;
  }

  private static int[] exactTop(ItemVectors items, float[] hidden, int k) {
    float[] scores = new float[items.rows()];
    for (int row = 0; row < items.rows(); row++) {
      scores[row] = items.logit(row, hidden);
    }
    return TopK.best(scores, 0, items.rows(), k, items.active());
  }

  private static int[] rescoredTop(ItemVectors items, int[] candidates, float[] hidden, int k) {
    float[] scores = new float[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      scores[c] = items.logit(candidates[c], hidden);
    }
    int[] best = TopK.best(scores, 0, candidates.length, k, c -> true);
    return Arrays.stream(best).map(c -> candidates[c]).toArray();
  }

  /** A trained model's output rows and hidden states: the index's real input. */
  @Test
  void shouldFindNearlyEveryExactTopTenOfATrainedModel() {
    int items = 3_000;
    NextItemModel model =
        NextItemModel.create(
            ModelConfig.builder()
                .embeddingSize(16)
                .hiddenSize(32)
                .sequenceLength(10)
                .learningRate(0.01)
                .dropout(0)
                .build(),
            new VocabularyConfig(items, 1_000, 1, 0));
    for (int i = 0; i < items; i++) {
      model.admit(LongTailBehaviour.item(i), 1);
    }
    LongTailBehaviour behaviour = new LongTailBehaviour(items, 5);
    for (int b = 0; b < 120; b++) {
      model.train(behaviour.examples(256));
    }
    ItemVectors vectors = model.itemVectors();
    IndexSettings settings = IndexSettings.defaults();
    ItemIndex index = ItemIndex.build(vectors, settings);
    List<List<String>> histories = new ArrayList<>();
    for (TrainingExample example : behaviour.examples(300)) {
      histories.add(example.sequence());
    }
    int found = 0;
    for (SequenceState state : model.states(histories)) {
      float[] hidden = state.hidden();
      Set<Integer> exact = new HashSet<>();
      for (int row : exactTop(vectors, hidden, 10)) {
        exact.add(row);
      }
      for (int row : rescoredTop(vectors, index.search(hidden, CANDIDATES), hidden, 10)) {
        found += exact.contains(row) ? 1 : 0;
      }
    }
    double recall = found / (histories.size() * 10.0);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void shouldScoreAnItemThatMovedAfterTheBuildAndLeaveThoseThatStayedToTheGraph() {
    ItemVectors built = randomItems(9);
    IndexSettings settings = IndexSettings.defaults().withLeaders(0);
    ItemIndex index = ItemIndex.build(built, settings);
    float[] hidden = query(new SplittableRandom(10));

    // The next version: item 1234 now points exactly along the query and is the best by far.
    float[] weights = built.weights().clone();
    float[] bias = built.bias().clone();
    for (int j = 0; j < WIDTH; j++) {
      weights[1234 * WIDTH + j] = 5 * hidden[j];
    }
    ItemVectors next = new ItemVectors(ITEMS, WIDTH, weights, bias, built.active());
    Retrieval before = Retrieval.of(index, built, settings);
    assertThat(before.unindexedCount()).isZero();
    assertThat(before.candidates(hidden, 50)).doesNotContain(1234);

    Retrieval after = before.following(next, new int[] {1234, 5});
    assertThat(after.unindexedCount()).isEqualTo(1);
    assertThat(after.candidates(hidden, 50)).contains(1234);
    assertThat(rescoredTop(next, after.candidates(hidden, 50), hidden, 1)).containsExactly(1234);
    // The earlier version's retrieval is untouched: in-flight requests keep their view.
    assertThat(before.candidates(hidden, 50)).doesNotContain(1234);
    assertThat(Retrieval.of(index, next, settings).unindexedCount()).isEqualTo(1);
  }

  @Test
  void shouldScoreTheLeadersForEveryUserOnceAndKeepThemThroughADelta() {
    ItemVectors built = randomItems(11);
    IndexSettings settings = IndexSettings.defaults().withLeaders(25);
    ItemIndex index = ItemIndex.build(built, settings.withLeaders(0));
    // The 25 active rows with the highest bias.
    Integer[] rows = new Integer[ITEMS];
    for (int row = 0; row < ITEMS; row++) {
      rows[row] = row;
    }
    Arrays.sort(rows, (a, b) -> Float.compare(built.bias()[b], built.bias()[a]));
    Set<Integer> expected = new HashSet<>();
    for (int i = 0; expected.size() < 25; i++) {
      if (built.active().test(rows[i])) {
        expected.add(rows[i]);
      }
    }

    Retrieval retrieval = Retrieval.of(index, built, settings);
    assertThat(boxed(retrieval.exactRows())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(retrieval.unindexedCount()).isZero();
    float[] hidden = query(new SplittableRandom(12));
    int[] candidates = retrieval.candidates(hidden, 50);
    assertThat(candidates).doesNotHaveDuplicates();
    assertThat(boxed(candidates)).containsAll(expected);
    assertThat(boxed(retrieval.indexedCandidates(hidden, 50, built)))
        .doesNotContainAnyElementsOf(expected);

    // A leader that moves far stays scored once, as an unindexed item.
    int leader = expected.iterator().next();
    float[] weights = built.weights().clone();
    for (int j = 0; j < WIDTH; j++) {
      weights[leader * WIDTH + j] = 10 * hidden[j];
    }
    ItemVectors next = new ItemVectors(ITEMS, WIDTH, weights, built.bias(), built.active());
    Retrieval after = retrieval.following(next, new int[] {leader});
    assertThat(after.unindexedCount()).isEqualTo(1);
    assertThat(boxed(after.exactRows())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(after.candidates(hidden, 50)).doesNotHaveDuplicates();
  }

  /** The leaders raise the recall of a weak graph on items whose bias lifts them. */
  @Test
  void shouldFindMoreOfTheExactTopTenWithLeaders() {
    ItemVectors items = randomItems(13);
    IndexSettings settings = IndexSettings.defaults().withLeaders(0);
    ItemIndex index = ItemIndex.build(items, settings);
    Retrieval graphOnly = Retrieval.of(index, items, settings);
    Retrieval withLeaders = Retrieval.of(index, items, settings.withLeaders(500));
    SplittableRandom rng = new SplittableRandom(14);
    int foundGraph = 0;
    int foundLeaders = 0;
    int total = 0;
    for (int u = 0; u < 200; u++) {
      // Small queries, as a trained LSTM's hidden states are (mean norm about 0.7 at hidden size
      // 128 after a minute of training on LongTailBehaviour): the bias then decides much of the
      // top 10, and a walk of the graph, linked mostly by the rows' weights, finds little of it
      // (about 10% here).
      float[] hidden = query(rng);
      for (int j = 0; j < WIDTH; j++) {
        hidden[j] *= 0.03f;
      }
      Set<Integer> exact = new HashSet<>();
      for (int row : exactTop(items, hidden, 10)) {
        exact.add(row);
      }
      total += exact.size();
      for (int row : rescoredTop(items, graphOnly.candidates(hidden, CANDIDATES), hidden, 10)) {
        foundGraph += exact.contains(row) ? 1 : 0;
      }
      for (int row : rescoredTop(items, withLeaders.candidates(hidden, CANDIDATES), hidden, 10)) {
        foundLeaders += exact.contains(row) ? 1 : 0;
      }
    }
    assertThat(foundLeaders).isGreaterThan(foundGraph);
    assertThat((double) foundLeaders / total).isGreaterThanOrEqualTo(0.99);
  }

  /**
   * A refreshed graph links the moved and the new items in anew: none is left to exact scoring, a
   * moved item is proposed once (its new node, never its old one), and the graph finds as much of
   * the exact top 10 as one built from scratch on the same vectors.
   */
  @Test
  void shouldLinkMovedAndNewItemsIntoARefreshedGraph() {
    ItemVectors built = randomItems(15);
    IndexSettings settings = IndexSettings.defaults().withLeaders(0);
    ItemIndex index = ItemIndex.build(built, settings);

    int rows = ITEMS + 500; // 500 new items
    SplittableRandom rng = new SplittableRandom(16);
    float[] weights = Arrays.copyOf(built.weights(), rows * WIDTH);
    float[] bias = Arrays.copyOf(built.bias(), rows);
    Set<Integer> moved = new HashSet<>();
    while (moved.size() < 2_000) {
      int row = rng.nextInt(ITEMS);
      if (built.active().test(row)) {
        moved.add(row);
      }
    }
    List<Integer> changed = new ArrayList<>(moved);
    for (int row = ITEMS; row < rows; row++) {
      changed.add(row);
    }
    for (int row : changed) {
      double scale = 0.5 + rng.nextDouble();
      for (int j = 0; j < WIDTH; j++) {
        weights[row * WIDTH + j] = (float) (scale * rng.nextGaussian());
      }
      bias[row] = (float) (rng.nextGaussian() * 0.5);
    }
    ItemVectors next = new ItemVectors(rows, WIDTH, weights, bias, row -> row % 97 != 0);
    assertThat(Retrieval.of(index, next, settings).unindexedCount()).isGreaterThan(2_000);

    assertThat(index.refreshed(next, settings, 1, 0.05)).isEmpty(); // 2,000 of 22,288 nodes
    ItemIndex refreshed = index.refreshed(next, settings, 1, 0.2).orElseThrow();

    assertThat(Retrieval.of(refreshed, next, settings).unindexedCount()).isZero();
    assertThat(refreshed.rows()).isEqualTo(rows);
    assertThat(refreshed.staleShare()).isEqualTo(2_000.0 / refreshed.size());
    assertThat(refreshed.items()).isEqualTo(index.items() + 495); // the new active rows
    assertThat(index.rows()).isEqualTo(ITEMS); // the served graph is untouched
    ItemIndex fresh = ItemIndex.build(next, settings);
    int foundRefreshed = 0;
    int foundFresh = 0;
    int foundChanged = 0;
    SplittableRandom queries = new SplittableRandom(17);
    for (int u = 0; u < 200; u++) {
      float[] hidden = query(queries);
      int[] proposed = refreshed.search(hidden, CANDIDATES, next);
      assertThat(proposed).doesNotHaveDuplicates();
      Set<Integer> exact = new HashSet<>();
      for (int row : exactTop(next, hidden, 10)) {
        exact.add(row);
      }
      for (int row : rescoredTop(next, proposed, hidden, 10)) {
        foundRefreshed += exact.contains(row) ? 1 : 0;
        foundChanged += exact.contains(row) && changed.contains(row) ? 1 : 0;
      }
      for (int row : rescoredTop(next, fresh.search(hidden, CANDIDATES), hidden, 10)) {
        foundFresh += exact.contains(row) ? 1 : 0;
      }
    }
    assertThat(foundChanged).isPositive();
    assertThat(foundRefreshed).isGreaterThanOrEqualTo((int) (0.97 * foundFresh));
  }

  private static List<Integer> boxed(int[] rows) {
    return Arrays.stream(rows).boxed().toList();
  }
}
