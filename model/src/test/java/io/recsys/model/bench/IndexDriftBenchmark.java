package io.recsys.model.bench;

import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.RecommendedItem;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.retrieval.ItemIndex;
import io.recsys.model.retrieval.ItemVectors;
import io.recsys.model.retrieval.Retrieval;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an index ages while the model keeps training, as it does in serving between rebuilds: an
 * index is built after {@code --train-seconds}, the model trains on for {@code --drift-seconds}
 * (its rows change in place, as deltas change a serving model), and at each checkpoint recall@10
 * against the exact top 10 is measured on the same users' current states, for several drift
 * tolerances, with the number of rows each leaves to exact scoring. Misses are described by how
 * much the missed item's vector grew since the build.
 *
 * <p>Arguments: {@code [--items N] [--train-seconds S] [--drift-seconds S] [--checkpoints C]
 * [--candidates N]}; prints one JSON object per checkpoint.
 */
public final class IndexDriftBenchmark {
  private static final int TRAIN_BATCH = 256;
  private static final int USERS = 1_024;

  private IndexDriftBenchmark() {}

  public static void main(String[] args) {
    int items = 100_000;
    double trainSeconds = 60;
    double driftSeconds = 120;
    int checkpoints = 4;
    int candidates = IndexSettings.defaults().candidates();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(args[++i]);
        case "--train-seconds" -> trainSeconds = Double.parseDouble(args[++i]);
        case "--drift-seconds" -> driftSeconds = Double.parseDouble(args[++i]);
        case "--checkpoints" -> checkpoints = Integer.parseInt(args[++i]);
        case "--candidates" -> candidates = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    ModelConfig config = CatalogueScaleBenchmark.streamingConfig();
    NextItemModel model =
        NextItemModel.create(
            config, new VocabularyConfig(items, Math.max(1_000, items / 10), 1, 0));
    for (int i = 0; i < items; i++) {
      model.admit(LongTailBehaviour.item(i), 1);
    }
    LongTailBehaviour behaviour = new LongTailBehaviour(items, 7);
    train(model, behaviour, trainSeconds);
    IndexSettings defaults = IndexSettings.defaults();
    ItemVectors live = model.itemVectors();
    ItemVectors atBuild =
        new ItemVectors(
            live.rows(), live.width(), live.weights().clone(), live.bias().clone(), live.active());
    ItemIndex index =
        ItemIndex.build(atBuild, defaults, Runtime.getRuntime().availableProcessors());
    System.err.printf(
        "index of %d items built in %.1f s%n", index.size(), index.buildMillis() / 1e3);
    List<List<String>> histories = new ArrayList<>();
    for (TrainingExample ex : behaviour.examples(USERS)) {
      histories.add(ex.sequence());
    }
    for (int c = 0; c <= checkpoints; c++) {
      if (c > 0) {
        train(model, behaviour, driftSeconds / checkpoints);
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("items", items);
      row.put("seconds_since_build", Math.round(c * driftSeconds / checkpoints));
      List<SequenceState> states = model.states(histories);
      model.useRetrieval(null);
      List<List<RecommendedItem>> exact = model.recommend(states, histories, 10);
      for (double tolerance : new double[] {0.25, 0.1, 0.05, 0.02}) {
        IndexSettings settings =
            new IndexSettings(
                1,
                candidates,
                defaults.maxConnections(),
                defaults.beamWidth(),
                defaults.rebuildFraction(),
                tolerance,
                defaults.seed(),
                defaults.leaders());
        Retrieval retrieval = Retrieval.of(index, model.itemVectors(), settings);
        model.useRetrieval(retrieval);
        List<List<RecommendedItem>> found = model.recommend(states, histories, 10);
        row.put("recall_tol_" + tolerance, round(recall(exact, found)));
        row.put("unindexed_tol_" + tolerance, retrieval.unindexedCount());
        if (tolerance == defaults.driftTolerance()) {
          row.put("missed_growth", missedGrowth(model, atBuild, exact, found));
        }
      }
      model.useRetrieval(null);
      System.out.println(CatalogueScaleBenchmark.toJson(row));
    }
  }

  private static void train(NextItemModel model, LongTailBehaviour behaviour, double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      model.train(behaviour.examples(TRAIN_BATCH));
    }
  }

  /**
   * For the exact top-10 items the index missed and those it found: the median ratio of the item's
   * current vector norm to its norm when indexed.
   */
  private static Map<String, Object> missedGrowth(
      NextItemModel model,
      ItemVectors then,
      List<List<RecommendedItem>> exact,
      List<List<RecommendedItem>> found) {
    ItemVectors now = model.itemVectors();
    List<Double> missed = new ArrayList<>();
    List<Double> hit = new ArrayList<>();
    for (int i = 0; i < exact.size(); i++) {
      Set<String> got = new HashSet<>();
      found.get(i).forEach(r -> got.add(r.itemId()));
      for (RecommendedItem r : exact.get(i)) {
        int row = model.vocabulary().rowOf(r.itemId());
        double growth = norm(now, row) / Math.max(1e-9, norm(then, row));
        (got.contains(r.itemId()) ? hit : missed).add(growth);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("missed", missed.size());
    out.put("missed_median_growth", round(median(missed)));
    out.put("found_median_growth", round(median(hit)));
    return out;
  }

  private static double norm(ItemVectors v, int row) {
    double sum = v.bias()[row] * (double) v.bias()[row];
    for (int j = 0; j < v.width(); j++) {
      double w = v.weights()[row * v.width() + j];
      sum += w * w;
    }
    return Math.sqrt(sum);
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static double recall(
      List<List<RecommendedItem>> exact, List<List<RecommendedItem>> approx) {
    long found = 0;
    long total = 0;
    for (int i = 0; i < exact.size(); i++) {
      Set<String> truth = new HashSet<>();
      exact.get(i).forEach(r -> truth.add(r.itemId()));
      total += truth.size();
      for (RecommendedItem r : approx.get(i)) {
        found += truth.contains(r.itemId()) ? 1 : 0;
      }
    }
    return total == 0 ? 0 : (double) found / total;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
