package io.recsys.model.bench;

import io.recsys.model.ModelConfig;
import io.recsys.model.ModelDelta;
import io.recsys.model.NextItemModel;
import io.recsys.model.PublishedWeights;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one model publication costs, snapshot against delta, on the default model shape (64-wide
 * embeddings, 128-wide LSTM, full softmax) after one 256-example micro-batch: making the delta
 * (diff against the published weights, encode, deflate), applying it on a serving instance
 * (inflate, copy the served model, write the rows), and loading a serving snapshot instead. Run
 * with {@code bin/bench-model-sync}; the payload sizes are printed once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ModelSyncBenchmark {
  @Param({"3706", "20000"})
  int items;

  private NextItemModel published;
  private NextItemModel trainer;
  private byte[] snapshot;
  private byte[] int8Delta;
  private PublishedWeights freshInt8;
  private PublishedWeights freshExact;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    SplittableRandom rng = new SplittableRandom(7);
    trainer =
        NextItemModel.create(
            ModelConfig.builder().sequenceLength(20).learningRate(0.03).build(),
            new VocabularyConfig(items, 1024, 1, 0));
    for (int i = 0; i < items; i++) {
      trainer.admit("i" + i, 0);
    }
    for (int b = 0; b < 3; b++) {
      trainer.train(examples(rng, 256));
    }
    Path dir = Files.createTempDirectory("recsys-sync-bench");
    Path file = dir.resolve("serving.ckpt");
    trainer.saveForServing(file);
    snapshot = Files.readAllBytes(file);
    published = NextItemModel.load(file);
    Files.delete(file);
    Files.delete(dir);
    PublishedWeights int8 = PublishedWeights.of(trainer, 1e-5, true);
    PublishedWeights exact = PublishedWeights.of(trainer, 0.0, false);
    trainer.train(examples(rng, 256));
    int8Delta = int8.advanceTo(trainer).toBytes();
    System.out.printf(
        "%n[%d items] serving snapshot %,d bytes; delta after one 256-example batch: int8 %,d bytes,"
            + " exact %,d bytes%n",
        items, snapshot.length, int8Delta.length, exact.advanceTo(trainer).toBytes().length);
  }

  /** Each make-delta call diffs against the weights as published before the batch. */
  @Setup(Level.Invocation)
  public void freshPublishedWeights() {
    freshInt8 = PublishedWeights.of(published, 1e-5, true);
    freshExact = PublishedWeights.of(published, 0.0, false);
  }

  @Benchmark
  public byte[] makeInt8Delta() {
    return freshInt8.advanceTo(trainer).toBytes();
  }

  /** {@link #makeInt8Delta} without the encoding: the diff against the published weights. */
  @Benchmark
  public ModelDelta diffInt8() {
    return freshInt8.advanceTo(trainer);
  }

  @Benchmark
  public byte[] makeExactDelta() {
    return freshExact.advanceTo(trainer).toBytes();
  }

  @Benchmark
  public NextItemModel applyInt8Delta() throws IOException {
    return published.applying(ModelDelta.fromBytes(int8Delta));
  }

  @Benchmark
  public NextItemModel loadSnapshot() throws IOException {
    return NextItemModel.load(new java.io.ByteArrayInputStream(snapshot), "benchmark snapshot");
  }

  private List<TrainingExample> examples(SplittableRandom rng, int count) {
    List<TrainingExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<String> history = new ArrayList<>(20);
      for (int j = 0; j < 20; j++) {
        history.add("i" + rng.nextInt(items));
      }
      out.add(new TrainingExample(history, "i" + rng.nextInt(items), 1.0));
    }
    return out;
  }
}
