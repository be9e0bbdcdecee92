package io.recsys.model.bench;

import io.recsys.model.BackendInfo;
import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.ModelDelta;
import io.recsys.model.NextItemModel;
import io.recsys.model.PublishedWeights;
import io.recsys.model.TrainingExample;
import io.recsys.model.TrainingStats;
import io.recsys.model.VocabularyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The model's throughput figures (a documented harness, not a test). Arguments: ITEMS LOSS
 * [SEQUENCE_LENGTH] [BATCHES] [MICRO_BATCH]. Items are drawn from a Zipf(1.0)-like popularity,
 * sequences are random walks over it; the figures depend on sizes, not on what is learned.
 *
 * <ul>
 *   <li>online training: new examples/s through {@link NextItemModel#train} in micro-batches of
 *       {@link ModelConfig#maxBatchSize()}, each example a sequence and one target;
 *   <li>inference: recommendations (top 10, history removed) per second at batch 1/64/256/1024, and
 *       single-request latency percentiles;
 *   <li>checkpoint: file size and save / load time;
 *   <li>model sync: a serving snapshot's size against a delta's after one micro-batch, exact and
 *       int8, with the time to make and to apply one.
 * </ul>
 */
public final class ModelBenchmark {
  private ModelBenchmark() {}

  public static void main(String[] args) throws Exception {
    int items = Integer.parseInt(args[0]);
    LossType loss = LossType.valueOf(args[1]);
    int seqLen = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int batches = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    ModelConfig config = ModelConfig.builder().loss(loss).build();
    int batch = args.length > 4 ? Integer.parseInt(args[4]) : config.maxBatchSize();
    System.out.println("backend: " + BackendInfo.describe());
    System.out.printf("items=%d loss=%s sequence=%d config=%s%n", items, loss, seqLen, config);
    NextItemModel model = NextItemModel.create(config, new VocabularyConfig(items, 1024, 1, 0));
    for (int i = 0; i < items; i++) {
      model.admit("i" + i, 0);
    }
    SplittableRandom rng = new SplittableRandom(1);
    double[] cdf = zipf(items);

    // --- online training ---
    for (int w = 0; w < 3; w++) {
      model.train(examples(rng, cdf, batch, seqLen));
    }
    List<List<TrainingExample>> data = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      data.add(examples(rng, cdf, batch, seqLen));
    }
    long t0 = System.nanoTime();
    long n = 0;
    double lossSum = 0;
    for (List<TrainingExample> mb : data) {
      TrainingStats s = model.train(mb);
      n += s.examples();
      lossSum += s.meanLoss();
    }
    double sec = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "online training: %d examples in %.2f s = %.0f examples/s (micro-batch %d, mean loss"
            + " %.3f)%n",
        n, sec, n / sec, batch, lossSum / data.size());

    // --- inference ---
    for (int size : new int[] {1, 64, 256, 1024}) {
      List<List<String>> histories = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        histories.add(walk(rng, cdf, seqLen));
      }
      model.recommend(histories, 10);
      int reps = Math.max(3, 2048 / size);
      long s0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        model.recommend(histories, 10);
      }
      double s = (System.nanoTime() - s0) / 1e9;
      System.out.printf("inference batch %4d: %.0f recommendations/s%n", size, size * reps / s);
    }
    long[] lat = new long[300];
    for (int r = 0; r < lat.length; r++) {
      List<List<String>> one = List.of(walk(rng, cdf, seqLen));
      long s0 = System.nanoTime();
      model.recommend(one, 10);
      lat[r] = System.nanoTime() - s0;
    }
    Arrays.sort(lat);
    System.out.printf(
        "single-request latency: p50 %.2f ms, p99 %.2f ms%n",
        lat[lat.length / 2] / 1e6, lat[lat.length * 99 / 100] / 1e6);

    // --- checkpoint ---
    Path dir = Files.createTempDirectory("recsys-bench");
    Path file = dir.resolve("model.ckpt");
    long c0 = System.nanoTime();
    model.save(file);
    double save = (System.nanoTime() - c0) / 1e9;
    long c1 = System.nanoTime();
    NextItemModel loaded = NextItemModel.load(file);
    double load = (System.nanoTime() - c1) / 1e9;
    System.out.printf(
        "checkpoint: %.1f MB, save %.2f s, load %.2f s (vocabulary %d)%n",
        Files.size(file) / 1e6, save, load, loaded.vocabulary().size());
    Files.delete(file);

    // --- model sync: a serving snapshot against a delta after one 256-example micro-batch ---
    Path snapshot = dir.resolve("serving.ckpt");
    model.saveForServing(snapshot);
    NextItemModel served = NextItemModel.load(snapshot);
    PublishedWeights exact = PublishedWeights.of(model, 0.0, false);
    PublishedWeights int8 = PublishedWeights.of(model, 1e-5, true);
    int rounds = 10;
    long exactBytes = 0;
    long int8Bytes = 0;
    long makeNanos = 0;
    long applyNanos = 0;
    for (int r = 0; r < rounds; r++) {
      model.train(examples(rng, cdf, 256, seqLen));
      exactBytes += exact.advanceTo(model).toBytes().length;
      long m0 = System.nanoTime();
      byte[] delta = int8.advanceTo(model).toBytes();
      makeNanos += System.nanoTime() - m0;
      int8Bytes += delta.length;
      long a0 = System.nanoTime();
      served = served.applying(ModelDelta.fromBytes(delta));
      applyNanos += System.nanoTime() - a0;
    }
    System.out.printf(
        "model sync: serving snapshot %.0f KB; delta after a 256-example batch: exact %.0f KB,"
            + " int8 %.0f KB (make %.1f ms, apply %.1f ms)%n",
        Files.size(snapshot) / 1024.0,
        exactBytes / 1024.0 / rounds,
        int8Bytes / 1024.0 / rounds,
        makeNanos / 1e6 / rounds,
        applyNanos / 1e6 / rounds);
    Files.delete(snapshot);
    Files.delete(dir);
  }

  private static double[] zipf(int items) {
    double[] cdf = new double[items];
    double total = 0;
    for (int i = 0; i < items; i++) {
      total += 1.0 / (i + 1);
      cdf[i] = total;
    }
    for (int i = 0; i < items; i++) {
      cdf[i] /= total;
    }
    return cdf;
  }

  private static int draw(SplittableRandom rng, double[] cdf) {
    int i = Arrays.binarySearch(cdf, rng.nextDouble());
    return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
  }

  private static List<String> walk(SplittableRandom rng, double[] cdf, int len) {
    List<String> s = new ArrayList<>(len);
    for (int i = 0; i < len; i++) {
      s.add("i" + draw(rng, cdf));
    }
    return s;
  }

  private static List<TrainingExample> examples(
      SplittableRandom rng, double[] cdf, int count, int len) {
    List<TrainingExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new TrainingExample(walk(rng, cdf, len), "i" + draw(rng, cdf), 1.0));
    }
    return out;
  }
}
