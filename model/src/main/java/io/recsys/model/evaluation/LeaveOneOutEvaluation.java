package io.recsys.model.evaluation;

import io.recsys.model.FullSequenceTrainer;
import io.recsys.model.NextItemModel;
import io.recsys.model.TrainingExample;
import io.recsys.model.TrainingStats;
import io.recsys.model.VocabularyConfig;
import io.recsys.model.data.Interaction;
import io.recsys.model.strategy.CooccurrenceWeights;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline leave-one-out, full-ranking protocol of {@code shared/datasets/README.md}, with the
 * popularity and co-occurrence baselines in the same run. Training sees only each user's training
 * items; validation (second-to-last item) picks the epoch; the test item is scored once, at the
 * end. Every catalogue item gets a row up front, which gives it a score but no training signal.
 */
public final class LeaveOneOutEvaluation {
  private static final Logger LOG = LoggerFactory.getLogger(LeaveOneOutEvaluation.class);

  private LeaveOneOutEvaluation() {}

  public static EvaluationResult run(
      List<Interaction> interactions,
      EvaluationSettings settings,
      Consumer<EpochProgress> progress) {
    TrainedEvaluation trained = runKeepingModel(interactions, settings, progress);
    trained.model().close();
    return trained.result();
  }

  /**
   * A run's figures and the model it tested (the best epoch's weights), for callers that keep it.
   */
  public record TrainedEvaluation(EvaluationResult result, NextItemModel model) {}

  /**
   * The same run as {@link #run}, handing back the tested model too (the caller closes it), so that
   * a retrain can register exactly the model whose figures it reports.
   */
  public static TrainedEvaluation runKeepingModel(
      List<Interaction> interactions,
      EvaluationSettings settings,
      Consumer<EpochProgress> progress) {
    List<UserSplit> splits = LeaveOneOutSplitter.split(interactions);
    TreeSet<String> catalogue = new TreeSet<>();
    for (Interaction i : interactions) {
      catalogue.add(i.itemId());
    }
    settings = OutputRateLog.scaled(settings, interactions.size(), catalogue.size());
    NextItemModel model =
        NextItemModel.create(
            settings.model(), new VocabularyConfig(Math.max(1, catalogue.size()), 1024, 1, 0));
    for (String item : catalogue) {
      model.admit(item, 0);
    }
    int items = model.vocabulary().capacity();
    LOG.info(
        "Leave-one-out: {} users, {} items, {} interactions",
        splits.size(),
        catalogue.size(),
        interactions.size());

    List<List<String>> trainSeqs = new ArrayList<>(splits.size());
    List<List<String>> valInputs = new ArrayList<>(splits.size());
    List<List<String>> testInputs = new ArrayList<>(splits.size());
    List<int[]> trainRows = new ArrayList<>(splits.size());
    for (UserSplit s : splits) {
      trainSeqs.add(s.train());
      valInputs.add(s.validationInput());
      testInputs.add(s.testInput());
      trainRows.add(rows(model, s.train()));
    }

    FullSequenceTrainer trainer =
        new FullSequenceTrainer(model, settings.lanes(), settings.window());
    EarlyStopping stopping = new EarlyStopping(model, settings);
    long targets = 0;
    double trainSeconds = 0;
    long start = System.nanoTime();
    int epoch = 0;
    while (epoch < settings.maxEpochs()) {
      epoch++;
      long t0 = System.nanoTime();
      double meanLoss;
      if (settings.mode() == TrainingMode.FULL_SEQUENCE) {
        FullSequenceTrainer.EpochStats stats =
            trainer.trainEpoch(trainSeqs, settings.model().seed() + epoch);
        meanLoss = stats.meanLoss();
        targets += stats.targets();
      } else {
        double lossSum = 0;
        int trained = 0;
        List<TrainingExample> shuffled =
            shuffled(
                incrementalExamples(trainSeqs, settings.window()), settings.model().seed() + epoch);
        int chunk = settings.model().maxBatchSize();
        for (int from = 0; from < shuffled.size(); from += chunk) {
          TrainingStats st =
              model.train(shuffled.subList(from, Math.min(shuffled.size(), from + chunk)));
          lossSum += st.meanLoss() * st.examples();
          trained += st.examples();
        }
        meanLoss = trained > 0 ? lossSum / trained : 0;
        targets += trained;
      }
      trainSeconds += (System.nanoTime() - t0) / 1e9;
      EarlyStopping.Judged judged =
          stopping.judge(epoch, () -> modelSummary(model, splits, valInputs, false).ndcg10());
      progress.accept(judged.progress(meanLoss, (System.nanoTime() - start) / 1e9));
      if (stopping.stopAfter(epoch, judged.improved())) {
        break;
      }
    }
    stopping.restoreBest();
    RankingSummary modelTest = modelSummary(model, splits, testInputs, true);

    List<int[]> testRows = new ArrayList<>(splits.size());
    for (UserSplit s : splits) {
      testRows.add(rows(model, s.testInput()));
    }
    // Counting baselines have no epochs to pick, so at test time they count everything before
    // the test item, validation steps included, as the reference figures of the datasets README
    // do; on validation they count training data only.
    int[] validationTargets = new int[splits.size()];
    int[] testTargets = new int[splits.size()];
    for (int u = 0; u < splits.size(); u++) {
      testTargets[u] = model.vocabulary().rowOf(splits.get(u).test());
      validationTargets[u] = model.vocabulary().rowOf(splits.get(u).validation());
    }
    CooccurrenceWeights coocWeights =
        CooccurrenceChoice.choose(trainRows, items, validationTargets, CooccurrenceWeights.DEFAULT);
    PopularityBaseline validationPop = new PopularityBaseline(trainRows, items);
    CooccurrenceBaseline validationCooc = new CooccurrenceBaseline(trainRows, items, coocWeights);
    PopularityBaseline pop = new PopularityBaseline(testRows, items);
    CooccurrenceBaseline cooc = new CooccurrenceBaseline(testRows, items, coocWeights);
    RankAccumulator popAcc = new RankAccumulator();
    RankAccumulator coocAcc = new RankAccumulator();
    for (int u = 0; u < splits.size(); u++) {
      int[] history = testRows.get(u);
      BitSet excluded = Ranks.excluding(history);
      int target = testTargets[u];
      popAcc.add(Ranks.rankOf(pop.scores(), target, excluded));
      coocAcc.add(Ranks.rankOf(cooc.scores(history), target, excluded));
    }
    StrategyComparison.Outcome strategies =
        new StrategyComparison()
            .compare(
                scores(model, valInputs, trainRows, validationPop, validationCooc),
                validationTargets,
                trainRows,
                scores(model, testInputs, testRows, pop, cooc),
                testTargets,
                testRows);
    EvaluationResult result =
        new EvaluationResult(
            modelTest,
            popAcc.summary(),
            coocAcc.summary(),
            strategies.blend(),
            strategies.served(),
            strategies.servedByBucket(),
            strategies.fusion().toString(),
            coocWeights.backwardWeight(),
            stopping.best(),
            stopping.bestEpoch(),
            stopping.bestEpochsAveraged(),
            epoch,
            trainSeconds,
            trainSeconds > 0 ? targets / trainSeconds : 0,
            splits.size(),
            catalogue.size(),
            settings.model());
    return new TrainedEvaluation(result, model);
  }

  /**
   * Every strategy's scores of each user's {@code inputs}; the model's are computed a chunk of
   * users at a time, since the comparison asks for users in order.
   */
  private static StrategyComparison.Scores scores(
      NextItemModel model,
      List<List<String>> inputs,
      List<int[]> inputRows,
      PopularityBaseline pop,
      CooccurrenceBaseline cooc) {
    int chunk = 1024;
    float[][][] cached = new float[1][][];
    int[] cachedFrom = {-1};
    return (strategy, user) ->
        switch (strategy) {
          case POPULARITY -> pop.scores();
          case COOCCURRENCE -> cooc.scores(inputRows.get(user));
          case MODEL -> {
            int from = user / chunk * chunk;
            if (cachedFrom[0] != from) {
              cached[0] =
                  model.scoreAll(inputs.subList(from, Math.min(inputs.size(), from + chunk)));
              cachedFrom[0] = from;
            }
            yield cached[0][user - from];
          }
          case BLEND -> throw new IllegalArgumentException("the blend has no scores of its own");
        };
  }

  /** One example per training event after the first: the preceding items, then the event. */
  private static List<TrainingExample> incrementalExamples(List<List<String>> seqs, int context) {
    List<TrainingExample> out = new ArrayList<>();
    for (List<String> s : seqs) {
      for (int p = 1; p < s.size(); p++) {
        out.add(new TrainingExample(s.subList(Math.max(0, p - context), p), s.get(p), 1.0));
      }
    }
    return out;
  }

  private static <T> List<T> shuffled(List<T> list, long seed) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.shuffle(copy, new java.util.Random(seed));
    return copy;
  }

  private static RankingSummary modelSummary(
      NextItemModel model, List<UserSplit> splits, List<List<String>> inputs, boolean test) {
    RankAccumulator acc = new RankAccumulator();
    int chunk = 1024;
    for (int from = 0; from < splits.size(); from += chunk) {
      int to = Math.min(splits.size(), from + chunk);
      float[][] scores = model.scoreAll(inputs.subList(from, to));
      for (int u = from; u < to; u++) {
        UserSplit s = splits.get(u);
        int target = model.vocabulary().rowOf(test ? s.test() : s.validation());
        acc.add(
            Ranks.rankOf(scores[u - from], target, Ranks.excluding(rows(model, inputs.get(u)))));
      }
    }
    return acc.summary();
  }

  private static int[] rows(NextItemModel model, List<String> items) {
    int[] r = new int[items.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = model.vocabulary().rowOf(items.get(i));
    }
    return r;
  }
}
