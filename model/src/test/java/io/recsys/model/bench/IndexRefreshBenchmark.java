package io.recsys.model.bench;

import io.recsys.model.internal.TopK;
import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.retrieval.ItemIndex;
import io.recsys.model.retrieval.ItemVectors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What refreshing a graph ({@link ItemIndex#refreshed}) saves against building it anew, by the
 * share of items that moved: for each share, that many random items get new random vectors, and
 * both graphs are timed on the same threads and searched with the default candidates for the same
 * queries (recall@10 against the exact top 10, rescored). Vectors: random, with norms and biases
 * that vary by item as a trained model's do.
 *
 * <p>Arguments: {@code [--items N] [--width W] [--threads T] [--shares 0.01,0.05,0.2]}; prints one
 * JSON object per share.
 */
public final class IndexRefreshBenchmark {
  private static final int QUERIES = 500;

  private IndexRefreshBenchmark() {}

  public static void main(String[] args) {
    int items = 200_000;
    int width = 128;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    double[] shares = {0.01, 0.05, 0.2};
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(args[++i]);
        case "--width" -> width = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--shares" ->
            shares = Arrays.stream(args[++i].split(",")).mapToDouble(Double::parseDouble).toArray();
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    IndexSettings settings = IndexSettings.defaults().withLeaders(0);
    SplittableRandom rng = new SplittableRandom(21);
    float[] weights = new float[items * width];
    float[] bias = new float[items];
    for (int row = 0; row < items; row++) {
      randomRow(rng, weights, bias, row, width);
    }
    ItemVectors built = new ItemVectors(items, width, weights, bias, row -> true);
    ItemIndex index = ItemIndex.build(built, settings, threads);
    System.err.printf("built %d items in %d ms%n", items, index.buildMillis());
    for (double share : shares) {
      float[] w = weights.clone();
      float[] b = bias.clone();
      SplittableRandom moves = new SplittableRandom(22);
      int moved = (int) Math.round(share * items);
      Set<Integer> rows = new HashSet<>();
      while (rows.size() < moved) {
        rows.add(moves.nextInt(items));
      }
      for (int row : rows) {
        randomRow(moves, w, b, row, width);
      }
      ItemVectors next = new ItemVectors(items, width, w, b, row -> true);
      ItemIndex refreshed = index.refreshed(next, settings, threads, 1.0).orElseThrow();
      ItemIndex fresh = ItemIndex.build(next, settings, threads);
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("items", items);
      out.put("moved_share", share);
      out.put("refresh_ms", refreshed.buildMillis());
      out.put("build_ms", fresh.buildMillis());
      out.put("waypoint_share", Math.round(refreshed.staleShare() * 1000) / 1000.0);
      SplittableRandom queries = new SplittableRandom(23);
      long foundRefreshed = 0;
      long foundFresh = 0;
      double visitsBefore = 0;
      for (int q = 0; q < QUERIES; q++) {
        float[] hidden = new float[width];
        for (int j = 0; j < width; j++) {
          hidden[j] = (float) queries.nextGaussian();
        }
        Set<Integer> exact = new HashSet<>();
        for (int row : exactTop(next, hidden)) {
          exact.add(row);
        }
        foundRefreshed +=
            hits(next, refreshed.search(hidden, settings.candidates(), next), hidden, exact);
        foundFresh += hits(next, fresh.search(hidden, settings.candidates(), next), hidden, exact);
      }
      out.put("recall_at_10_refreshed", foundRefreshed / (QUERIES * 10.0));
      out.put("recall_at_10_built", foundFresh / (QUERIES * 10.0));
      out.put("visits_refreshed", Math.round(refreshed.visitsPerSearch()));
      out.put("visits_built", Math.round(fresh.visitsPerSearch()));
      out.put("threads", threads);
      System.out.println(CatalogueScaleBenchmark.toJson(out));
    }
  }

  private static void randomRow(
      SplittableRandom rng, float[] weights, float[] bias, int row, int width) {
    double scale = 0.5 + rng.nextDouble();
    for (int j = 0; j < width; j++) {
      weights[row * width + j] = (float) (scale * rng.nextGaussian());
    }
    bias[row] = (float) (rng.nextGaussian() * 0.5);
  }

  private static int[] exactTop(ItemVectors items, float[] hidden) {
    float[] scores = new float[items.rows()];
    for (int row = 0; row < items.rows(); row++) {
      scores[row] = items.logit(row, hidden);
    }
    return TopK.best(scores, 0, items.rows(), 10, items.active());
  }

  private static int hits(ItemVectors items, int[] candidates, float[] hidden, Set<Integer> exact) {
    float[] scores = new float[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      scores[c] = items.logit(candidates[c], hidden);
    }
    int found = 0;
    for (int c : TopK.best(scores, 0, candidates.length, 10, c -> true)) {
      found += exact.contains(candidates[c]) ? 1 : 0;
    }
    return found;
  }
}
