package io.recsys.model.bench;

import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.ModelDelta;
import io.recsys.model.NextItemModel;
import io.recsys.model.PublishedWeights;
import io.recsys.model.RecommendedItem;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.retrieval.ItemIndex;
import io.recsys.model.retrieval.Retrieval;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The model's cost at catalogue sizes of 10^4 to 10^6 items, in one run: serving CPU per event with
 * exhaustive scoring and through the index, the index's recall@10 against exhaustive top 10 on the
 * same user states, trainer examples/s, model-updates bytes/s (deltas at the publish interval,
 * snapshots at the snapshot interval), memory per item, and next-item HR@10 on held-out events with
 * both serving paths. Data: {@link LongTailBehaviour}. Run by {@code bin/bench-catalogue}; a
 * documented harness, not a test.
 *
 * <p>Arguments: {@code [--sizes 10000,100000,1000000] [--train-seconds S] [--candidates N]
 * [--max-connections M] [--beam B] [--json]} (the index settings default to {@link
 * IndexSettings#defaults()}).
 */
public final class CatalogueScaleBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int USERS_PER_CALL = 64;
  private static final int TRAIN_BATCH = 256;
  private static final long PUBLISH_INTERVAL_MS = 500;
  private static final long SNAPSHOT_INTERVAL_MS = 30_000;

  private CatalogueScaleBenchmark() {}

  public static void main(String[] args) throws IOException {
    List<Integer> sizes = List.of(10_000, 100_000, 1_000_000);
    double trainSeconds = 20;
    boolean json = false;
    IndexSettings index = IndexSettings.defaults();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" ->
            sizes = List.of(args[++i].split(",")).stream().map(Integer::parseInt).toList();
        case "--train-seconds" -> trainSeconds = Double.parseDouble(args[++i]);
        case "--json" -> json = true;
        case "--beam" -> index = index.withBeamWidth(Integer.parseInt(args[++i]));
        case "--max-connections" -> index = index.withMaxConnections(Integer.parseInt(args[++i]));
        case "--candidates" -> index = index.withCandidates(Integer.parseInt(args[++i]));
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    System.out.printf(
        "catalogue-scale benchmark: %s items, %d cores, max heap %d MB%n",
        sizes, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int items : sizes) {
      Map<String, Object> row = run(items, trainSeconds, index);
      rows.add(row);
      System.out.println(row);
    }
    if (json) {
      StringBuilder out = new StringBuilder("{\"sizes\":[");
      for (int i = 0; i < rows.size(); i++) {
        out.append(i > 0 ? "," : "").append(toJson(rows.get(i)));
      }
      System.out.println(out.append("]}"));
    }
  }

  /** The streaming defaults (RecsysConfig's), with the loss left to its default (auto). */
  static ModelConfig streamingConfig() {
    return ModelConfig.builder()
        .sequenceLength(20)
        .learningRate(0.01)
        .outputLearningRateScale(8.0)
        .dropout(0.0)
        .build();
  }

  private static Map<String, Object> run(int items, double trainSeconds, IndexSettings defaults)
      throws IOException {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("items", items);
    long heap0 = usedHeapAfterGc();
    ModelConfig config = streamingConfig();
    NextItemModel model =
        NextItemModel.create(
            config, new VocabularyConfig(items, Math.max(1_000, items / 10), 1, 0));
    for (int i = 0; i < items; i++) {
      model.admit(LongTailBehaviour.item(i), 1);
    }
    long trainerHeap = usedHeapAfterGc() - heap0;
    row.put("loss", model.usesSampledLoss() ? "sampled" : "full");

    LongTailBehaviour behaviour = new LongTailBehaviour(items, 7);
    for (int b = 0; b < 3; b++) {
      model.train(behaviour.examples(TRAIN_BATCH)); // warm-up: JIT, workspaces
    }
    PublishedWeights published = PublishedWeights.of(model, 1e-5, true);
    long deltaBytes = 0;
    long deltas = 0;
    long publishCpuNs = 0;
    long examples = 0;
    long trainCpuNs = 0;
    long start = System.nanoTime();
    long nextPublish = start + PUBLISH_INTERVAL_MS * 1_000_000;
    while (System.nanoTime() - start < trainSeconds * 1e9) {
      List<TrainingExample> batch = behaviour.examples(TRAIN_BATCH);
      long cpu = THREADS.getCurrentThreadCpuTime();
      model.train(batch);
      trainCpuNs += THREADS.getCurrentThreadCpuTime() - cpu;
      examples += batch.size();
      if (System.nanoTime() >= nextPublish) {
        long p = THREADS.getCurrentThreadCpuTime();
        ModelDelta delta = published.advanceTo(model);
        deltaBytes += delta.toBytes().length;
        publishCpuNs += THREADS.getCurrentThreadCpuTime() - p;
        deltas++;
        nextPublish = System.nanoTime() + PUBLISH_INTERVAL_MS * 1_000_000;
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    row.put("trainer_examples_per_s", round(examples / wall));
    row.put("trainer_cpu_us_per_example", round(trainCpuNs / 1e3 / examples));
    row.put("publish_cpu_ms_per_delta", round(deltas > 0 ? publishCpuNs / 1e6 / deltas : 0));
    Path snapshot = Files.createTempFile("recsys-bench-", ".model");
    long snapshotBytes;
    NextItemModel served;
    long servingHeap;
    try {
      model.saveForServing(snapshot);
      snapshotBytes = Files.size(snapshot);
      long before = usedHeapAfterGc();
      served = NextItemModel.load(snapshot);
      servingHeap = usedHeapAfterGc() - before;
    } finally {
      Files.deleteIfExists(snapshot);
    }
    double deltaBytesPerS = deltas > 0 ? deltaBytes / wall : 0;
    row.put("delta_bytes_per_s", Math.round(deltaBytesPerS));
    row.put("snapshot_bytes", snapshotBytes);
    row.put(
        "model_updates_bytes_per_s",
        Math.round(deltaBytesPerS + snapshotBytes * 1000.0 / SNAPSHOT_INTERVAL_MS));

    // Serving: the same users' states, scored exhaustively and through the index.
    List<List<String>> histories = new ArrayList<>();
    List<String> nextItems = new ArrayList<>();
    for (TrainingExample ex : behaviour.examples(2_048)) {
      histories.add(ex.sequence());
      nextItems.add(ex.target());
    }
    List<SequenceState> states = served.states(histories);
    int calls = Math.max(3, (int) Math.min(64, 2_000_000_000L / ((long) items * 128 * 64)));
    Timed exhaustive = serve(served, states, histories, calls);
    row.put("serving_exhaustive_cpu_us_per_event", round(exhaustive.cpuMicrosPerUser));

    row.put("index_m", defaults.maxConnections());
    row.put("index_beam", defaults.beamWidth());
    int threads = Runtime.getRuntime().availableProcessors();
    ItemIndex index = ItemIndex.build(served.itemVectors(), defaults, threads);
    row.put("index_build_s", round(index.buildMillis() / 1000.0));
    row.put("index_build_threads", threads);
    int users = exhaustive.lists.size();
    row.put("hr_at_10_exhaustive", round(hitRate(exhaustive.lists, nextItems)));
    if (!model.usesSampledLoss()) {
      // Where the full softmax runs, the sampled loss on the very same examples: its cost in HR.
      int n = exhaustive.lists.size();
      row.put(
          "hr_at_10_sampled_loss",
          round(
              sampledTwinHitRate(
                  items, examples, histories.subList(0, n), nextItems.subList(0, n))));
    }
    // The default number of candidates, and half and a quarter of it: cost against recall.
    for (int candidates :
        new int[] {defaults.candidates(), defaults.candidates() / 2, defaults.candidates() / 4}) {
      IndexSettings settings = defaults.withMinItems(1).withCandidates(candidates);
      served.useRetrieval(Retrieval.of(index, served.itemVectors(), settings));
      long searchesBefore = index.searches();
      long visitsBefore = index.visits();
      Timed indexed = serve(served, states, histories, Math.max(calls, 8));
      String suffix = candidates == defaults.candidates() ? "" : "_" + candidates;
      row.put("serving_index_cpu_us_per_event" + suffix, round(indexed.cpuMicrosPerUser));
      row.put(
          "index_visits_per_search" + suffix,
          Math.round(
              (double) (index.visits() - visitsBefore) / (index.searches() - searchesBefore)));
      List<List<RecommendedItem>> same = indexed.lists.subList(0, users);
      row.put("index_recall_at_10" + suffix, round(recall(exhaustive.lists, same)));
      if (suffix.isEmpty()) {
        row.put("hr_at_10_index", round(hitRate(same, nextItems)));
      }
    }

    row.put("trainer_bytes_per_item", Math.round((double) trainerHeap / items));
    row.put("serving_bytes_per_item", Math.round((double) servingHeap / items));
    row.put("index_bytes_per_item", Math.round((double) index.ramBytes() / items));
    row.put("serving_mb_with_index", Math.round((servingHeap + index.ramBytes()) / 1048576.0));
    row.put("trainer_mb", Math.round(trainerHeap / 1048576.0));
    return row;
  }

  /**
   * HR@10 of a model trained with the sampled loss on the same stream as the measured one (same
   * seed, same number of examples, warm-up included), on the same held-out next items.
   */
  private static double sampledTwinHitRate(
      int items, long examples, List<List<String>> histories, List<String> next) {
    NextItemModel twin =
        NextItemModel.create(
            streamingConfig().toBuilder().loss(LossType.SAMPLED_SOFTMAX).build(),
            new VocabularyConfig(items, Math.max(1_000, items / 10), 1, 0));
    for (int i = 0; i < items; i++) {
      twin.admit(LongTailBehaviour.item(i), 1);
    }
    LongTailBehaviour behaviour = new LongTailBehaviour(items, 7);
    long total = examples + 3L * TRAIN_BATCH;
    for (long done = 0; done < total; done += TRAIN_BATCH) {
      twin.train(behaviour.examples(TRAIN_BATCH));
    }
    List<List<RecommendedItem>> lists = twin.recommend(twin.states(histories), histories, 10);
    return hitRate(lists, next);
  }

  private record Timed(double cpuMicrosPerUser, List<List<RecommendedItem>> lists) {}

  /** {@code calls} serving calls of 64 users each over the states, cycling. */
  private static Timed serve(
      NextItemModel model, List<SequenceState> states, List<List<String>> seen, int calls) {
    List<List<RecommendedItem>> lists = new ArrayList<>();
    // Warm-up: the JIT compiles the path (the Vector API is slow until it does).
    for (int c = 0; c < 4; c++) {
      int from = (c * USERS_PER_CALL) % states.size();
      int to = Math.min(states.size(), from + USERS_PER_CALL);
      model.recommend(states.subList(from, to), seen.subList(from, to), 10);
    }
    long cpu = 0;
    int users = 0;
    for (int c = 0; c < calls; c++) {
      int from = (c * USERS_PER_CALL) % states.size();
      int to = Math.min(states.size(), from + USERS_PER_CALL);
      long t = THREADS.getCurrentThreadCpuTime();
      List<List<RecommendedItem>> out =
          model.recommend(states.subList(from, to), seen.subList(from, to), 10);
      cpu += THREADS.getCurrentThreadCpuTime() - t;
      users += to - from;
      if (lists.size() < states.size()) {
        lists.addAll(out);
      }
    }
    return new Timed(cpu / 1e3 / users, lists);
  }

  private static double recall(
      List<List<RecommendedItem>> exact, List<List<RecommendedItem>> approx) {
    int n = Math.min(exact.size(), approx.size());
    long found = 0;
    long total = 0;
    for (int i = 0; i < n; i++) {
      Set<String> truth = new HashSet<>();
      exact.get(i).forEach(r -> truth.add(r.itemId()));
      total += truth.size();
      for (RecommendedItem r : approx.get(i)) {
        found += truth.contains(r.itemId()) ? 1 : 0;
      }
    }
    return total == 0 ? 0 : (double) found / total;
  }

  private static double hitRate(List<List<RecommendedItem>> lists, List<String> next) {
    int hits = 0;
    for (int i = 0; i < lists.size(); i++) {
      String target = next.get(i);
      hits += lists.get(i).stream().anyMatch(r -> r.itemId().equals(target)) ? 1 : 0;
    }
    return lists.isEmpty() ? 0 : (double) hits / lists.size();
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String toJson(Map<String, Object> row) {
    StringBuilder b = new StringBuilder("{");
    int i = 0;
    for (Map.Entry<String, Object> e : row.entrySet()) {
      b.append(i++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      b.append(v instanceof String ? "\"" + v + "\"" : String.format(Locale.ROOT, "%s", v));
    }
    return b.append('}').toString();
  }
}
