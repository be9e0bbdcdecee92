package io.recsys.model;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The rule "item k is followed by item k+1" (modulo the catalogue) as training examples. */
final class SyntheticData {
  private SyntheticData() {}

  static String item(int k, int items) {
    return "item-" + Math.floorMod(k, items);
  }

  static List<String> history(int last, int length, int items) {
    List<String> h = new ArrayList<>();
    for (int i = length - 1; i >= 0; i--) {
      h.add(item(last - i, items));
    }
    return h;
  }

  static List<TrainingExample> batch(SplittableRandom rng, int size, int items, int length) {
    List<TrainingExample> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int last = rng.nextInt(items);
      out.add(new TrainingExample(history(last, length, items), item(last + 1, items), 1.0, i));
    }
    return out;
  }

  static double hitRateAt10(NextItemModel model, int items, int length) {
    List<List<String>> histories = new ArrayList<>();
    for (int k = 0; k < items; k++) {
      histories.add(history(k, length, items));
    }
    List<List<RecommendedItem>> recs = model.recommend(histories, 10);
    int hits = 0;
    for (int k = 0; k < items; k++) {
      String expected = item(k + 1, items);
      if (recs.get(k).stream().anyMatch(r -> r.itemId().equals(expected))) {
        hits++;
      }
    }
    return hits / (double) items;
  }

  static ModelConfig smallConfig(LossType loss) {
    return new ModelConfig(16, 32, 10, 3, 0.0, 0.01, 1.0, 0.0, loss, 20, 0.0, 256, 11L);
  }
}
