package io.recsys.model.evaluation;

import io.recsys.model.FullSequenceTrainer;
import io.recsys.model.NextItemModel;
import io.recsys.model.VocabularyConfig;
import io.recsys.model.data.Interaction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains on a window of events with a {@link TimeSplit}: full-sequence epochs on the events before
 * the cutoff, next-item NDCG@10 on the held-out events after each epoch, early stopping with
 * patience, the learning rate decayed on a plateau, and the best epoch's weights kept, exactly as
 * {@link LeaveOneOutEvaluation} does with its validation item. Every item of the window gets a row
 * up front, as there, so held-out items that never trained still have a rank.
 */
public final class TimeSplitEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(TimeSplitEvaluation.class);
  private static final int SCORE_CHUNK = 1024;

  private TimeSplitEvaluation() {}

  /** The figures and the model they describe (the caller closes it). */
  public record TrainedTimeSplit(TimeSplitResult result, NextItemModel model) {}

  /**
   * @param validationFraction share of the window's event-time span held out, in (0, 1)
   * @throws IllegalArgumentException when the split is impossible (see {@link TimeSplit#byTime}) or
   *     the settings ask for incremental training, which this protocol does not offer
   */
  public static TrainedTimeSplit run(
      List<Interaction> interactions,
      EvaluationSettings settings,
      double validationFraction,
      Consumer<EpochProgress> progress) {
    if (settings.mode() != TrainingMode.FULL_SEQUENCE) {
      throw new IllegalArgumentException(
          "training mode " + settings.mode() + " is only offered by the leave-one-out protocol");
    }
    TimeSplit split = TimeSplit.byTime(interactions, validationFraction);
    TreeSet<String> catalogue = new TreeSet<>();
    for (Interaction i : interactions) {
      catalogue.add(i.itemId());
    }
    HashSet<String> users = new HashSet<>();
    interactions.forEach(i -> users.add(i.userId()));
    settings = OutputRateLog.scaled(settings, split.trainEvents(), catalogue.size());
    NextItemModel model =
        NextItemModel.create(
            settings.model(), new VocabularyConfig(Math.max(1, catalogue.size()), 1024, 1, 0));
    for (String item : catalogue) {
      model.admit(item, 0);
    }
    LOG.info(
        "Split by time at {}: {} training events, {} held-out events scored ({} without history)",
        java.time.Instant.ofEpochMilli(split.cutoffMs()),
        split.trainEvents(),
        split.heldOut().size(),
        split.coldHeldOut());

    FullSequenceTrainer trainer =
        new FullSequenceTrainer(model, settings.lanes(), settings.window());
    EarlyStopping stopping = new EarlyStopping(model, settings);
    long targets = 0;
    double trainSeconds = 0;
    List<Double> epochSeconds = new ArrayList<>();
    long start = System.nanoTime();
    int epoch = 0;
    while (epoch < settings.maxEpochs()) {
      epoch++;
      long t0 = System.nanoTime();
      FullSequenceTrainer.EpochStats stats =
          trainer.trainEpoch(split.trainSequences(), settings.model().seed() + epoch);
      targets += stats.targets();
      trainSeconds += (System.nanoTime() - t0) / 1e9;
      EarlyStopping.Judged judged =
          stopping.judge(epoch, () -> modelSummary(model, split.heldOut()).ndcg10());
      epochSeconds.add((System.nanoTime() - t0) / 1e9);
      progress.accept(judged.progress(stats.meanLoss(), (System.nanoTime() - start) / 1e9));
      if (stopping.stopAfter(epoch, judged.improved())) {
        break;
      }
    }
    stopping.restoreBest();
    RankingSummary modelFigures = modelSummary(model, split.heldOut());
    TimeSplitResult result =
        new TimeSplitResult(
            modelFigures,
            popularitySummary(model, split),
            stopping.best(),
            stopping.bestEpoch(),
            stopping.bestEpochsAveraged(),
            epoch,
            epochSeconds,
            trainSeconds,
            trainSeconds > 0 ? targets / trainSeconds : 0,
            users.size(),
            catalogue.size(),
            split.cutoffMs(),
            split.trainEvents(),
            split.heldOut().size(),
            split.coldHeldOut(),
            settings.model());
    return new TrainedTimeSplit(result, model);
  }

  private static RankingSummary modelSummary(
      NextItemModel model, List<TimeSplit.HeldOutEvent> heldOut) {
    RankAccumulator acc = new RankAccumulator();
    for (int from = 0; from < heldOut.size(); from += SCORE_CHUNK) {
      List<TimeSplit.HeldOutEvent> part =
          heldOut.subList(from, Math.min(heldOut.size(), from + SCORE_CHUNK));
      List<List<String>> histories = new ArrayList<>(part.size());
      part.forEach(e -> histories.add(e.history()));
      float[][] scores = model.scoreAll(histories);
      for (int i = 0; i < part.size(); i++) {
        TimeSplit.HeldOutEvent e = part.get(i);
        int target = model.vocabulary().rowOf(e.item());
        // Every item of the window has a row and every history here is non-empty, so scores exist.
        acc.add(Ranks.rankOf(scores[i], target, seen(model, e.history())));
      }
    }
    return acc.summary();
  }

  private static RankingSummary popularitySummary(NextItemModel model, TimeSplit split) {
    List<int[]> trainRows = new ArrayList<>(split.trainSequences().size());
    for (List<String> s : split.trainSequences()) {
      trainRows.add(rows(model, s));
    }
    PopularityBaseline pop = new PopularityBaseline(trainRows, model.vocabulary().capacity());
    RankAccumulator acc = new RankAccumulator();
    for (TimeSplit.HeldOutEvent e : split.heldOut()) {
      acc.add(
          Ranks.rankOf(pop.scores(), model.vocabulary().rowOf(e.item()), seen(model, e.history())));
    }
    return acc.summary();
  }

  private static BitSet seen(NextItemModel model, List<String> history) {
    BitSet b = new BitSet();
    for (String item : history) {
      b.set(model.vocabulary().rowOf(item));
    }
    return b;
  }

  private static int[] rows(NextItemModel model, List<String> items) {
    int[] r = new int[items.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = model.vocabulary().rowOf(items.get(i));
    }
    return r;
  }
}
