package io.recsys.model.bench;

import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.SequenceState;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the streaming trainer pays per example on its two paths, microseconds: training on the whole
 * 20-item window ({@link NextItemModel#train(List)}), against re-reading the 15 items before the
 * newest 5 ({@link NextItemModel#states}), stepping a carried state once ({@link
 * NextItemModel#step}) and training on the newest 5 from that state ({@link
 * NextItemModel#train(List, List)}). Arguments: [MICRO_BATCH] [BATCHES] (default 256, the trainer's
 * batch, and 40). Random items over ML-1M's catalogue size; a documented harness, not a test.
 */
public final class TrainingStartsProfile {
  private static final int ITEMS = 3706;
  private static final int WINDOW = 20;

  private TrainingStartsProfile() {}

  public static void main(String[] args) {
    int microBatch = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    int batches = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    ModelConfig config = ModelConfig.builder().sequenceLength(WINDOW).learningRate(0.03).build();
    int newest = config.backpropSteps();
    try (NextItemModel model =
        NextItemModel.create(config, new VocabularyConfig(ITEMS, 1024, 1, 0))) {
      for (int i = 0; i < ITEMS; i++) {
        model.admit("i" + i, 0);
      }
      SplittableRandom rng = new SplittableRandom(1);
      List<List<TrainingExample>> whole = new ArrayList<>();
      List<List<TrainingExample>> newestOnly = new ArrayList<>();
      List<List<List<String>>> before = new ArrayList<>();
      List<List<String>> nextItems = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        List<TrainingExample> w = new ArrayList<>();
        List<TrainingExample> n = new ArrayList<>();
        List<List<String>> p = new ArrayList<>();
        List<String> next = new ArrayList<>();
        for (int i = 0; i < microBatch; i++) {
          List<String> window = new ArrayList<>();
          for (int k = 0; k < WINDOW; k++) {
            window.add("i" + rng.nextInt(ITEMS));
          }
          String target = "i" + rng.nextInt(ITEMS);
          w.add(new TrainingExample(window, target, 1.0));
          n.add(new TrainingExample(window.subList(WINDOW - newest, WINDOW), target, 1.0));
          p.add(window.subList(0, WINDOW - newest));
          next.add(window.get(WINDOW - newest));
        }
        whole.add(w);
        newestOnly.add(n);
        before.add(p);
        nextItems.add(next);
      }
      double examples = (double) microBatch * batches;
      for (int round = 0; round < 3; round++) { // the first round warms the JIT up
        long t0 = System.nanoTime();
        for (List<TrainingExample> batch : whole) {
          model.train(batch);
        }
        long t1 = System.nanoTime();
        List<List<SequenceState>> starts = new ArrayList<>();
        for (List<List<String>> p : before) {
          starts.add(model.states(p));
        }
        long t2 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
          model.step(starts.get(b), nextItems.get(b));
        }
        long t3 = System.nanoTime();
        for (int b = 0; b < batches; b++) {
          model.train(newestOnly.get(b), starts.get(b));
        }
        long t4 = System.nanoTime();
        System.out.printf(
            "round %d, micro-batch %d: whole window %.0f us/example; re-read %d items %.0f,"
                + " one step %.0f, train newest %d from the state %.0f%n",
            round,
            microBatch,
            (t1 - t0) / 1e3 / examples,
            WINDOW - newest,
            (t2 - t1) / 1e3 / examples,
            (t3 - t2) / 1e3 / examples,
            newest,
            (t4 - t3) / 1e3 / examples);
      }
    }
  }
}
