package io.recsys.model.bench;

import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.RecommendedItem;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
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
 * One serving call of {@code users} events on the streaming model's shape (64-wide embeddings,
 * 128-wide LSTM, full softmax, 20-item window, ML-1M's 3,706 items): re-reading each user's 20
 * newest items against stepping each user's carried state by the event's item; both then score
 * every item and take the top 30 without the history (what {@code RecommendProcessor} asks for).
 * Run with {@code bin/bench-serving}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ServingBenchmark {
  private static final int ITEMS = 3706;
  private static final int WINDOW = 20;
  private static final int CANDIDATES = 30;

  @Param({"1", "10", "64"})
  int users;

  private NextItemModel model;
  private List<List<String>> histories;
  private List<SequenceState> carried;
  private List<String> newest;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(7);
    model =
        NextItemModel.create(
            ModelConfig.builder().sequenceLength(WINDOW).learningRate(0.03).build(),
            new VocabularyConfig(ITEMS, 1024, 1, 0));
    for (int i = 0; i < ITEMS; i++) {
      model.admit("i" + i, 0);
    }
    for (int b = 0; b < 3; b++) {
      List<TrainingExample> batch = new ArrayList<>();
      for (int e = 0; e < 256; e++) {
        batch.add(new TrainingExample(items(rng, WINDOW), "i" + rng.nextInt(ITEMS), 1.0, 0));
      }
      model.train(batch);
    }
    histories = new ArrayList<>();
    List<List<String>> before = new ArrayList<>();
    newest = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      List<String> history = items(rng, WINDOW);
      histories.add(history);
      before.add(history.subList(0, WINDOW - 1));
      newest.add(history.get(WINDOW - 1));
    }
    carried = model.states(before);
  }

  private static List<String> items(SplittableRandom rng, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add("i" + rng.nextInt(ITEMS));
    }
    return out;
  }

  @Benchmark
  public List<List<RecommendedItem>> reread() {
    return model.recommend(model.states(histories), histories, CANDIDATES);
  }

  @Benchmark
  public List<List<RecommendedItem>> stepped() {
    return model.recommend(model.step(carried, newest), histories, CANDIDATES);
  }
}
