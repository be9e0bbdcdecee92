package io.recsys.model.evaluation;

import io.recsys.model.NextItemModel;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Early stopping on validation NDCG@10, shared by every offline protocol: keeps the best epoch's
 * weights (or the mean of the last epochs', with {@link EvaluationSettings#averagedEpochs}), stops
 * after {@code patience} epochs without a better figure, and multiplies the learning rate by {@code
 * plateauDecay} after each epoch that did not improve. Not thread-safe.
 */
final class EarlyStopping {
  private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

  private final NextItemModel model;
  private final int patience;
  private final double plateauDecay;
  private final EpochAveraging averaging;
  private double best = -1;
  private int bestEpoch;
  private int bestEpochsAveraged = 1;
  private Object bestSnapshot;

  EarlyStopping(NextItemModel model, EvaluationSettings settings) {
    this.model = model;
    this.patience = settings.patience();
    this.plateauDecay = settings.plateauDecay();
    this.averaging = new EpochAveraging(model, settings.averagedEpochs());
  }

  /**
   * An epoch's validation NDCG@10, that of the mean weights of the last {@code epochsAveraged}
   * epochs (NaN while fewer have run, or with averaging off), and whether either is the best so
   * far.
   */
  record Judged(
      int epoch,
      double validationNdcg10,
      double meanValidationNdcg10,
      int epochsAveraged,
      boolean improved) {

    /** This epoch's progress report, with its training loss and the run's elapsed seconds. */
    EpochProgress progress(double trainLoss, double elapsedSeconds) {
      return new EpochProgress(
          epoch,
          trainLoss,
          validationNdcg10,
          meanValidationNdcg10,
          epochsAveraged,
          elapsedSeconds,
          improved);
    }
  }

  /**
   * After epoch {@code epoch}: measures the model's weights with {@code validation}, then the mean
   * of the last epochs' weights where averaging is on, keeping whichever is the best so far; the
   * model is left with the epoch's own weights to train on.
   */
  Judged judge(int epoch, DoubleSupplier validation) {
    double own = validation.getAsDouble();
    boolean improved = improved(epoch, own);
    double mean = Double.NaN;
    if (averaging.add()) {
      EpochAveraging.Judgement judged =
          averaging.judgeMean(validation, ndcg -> improved(epoch, ndcg, averaging.epochs()));
      mean = judged.validationNdcg10();
      improved |= judged.kept();
    }
    return new Judged(epoch, own, mean, averaging.epochs(), improved);
  }

  /** Records epoch {@code epoch}'s validation NDCG@10; true when it is the best so far. */
  private boolean improved(int epoch, double validationNdcg10) {
    return improved(epoch, validationNdcg10, 1);
  }

  /**
   * Records the validation NDCG@10 of the model's weights now, the mean of the {@code averaged}
   * epochs up to {@code epoch}; true (and those weights kept) when it is the best so far.
   */
  private boolean improved(int epoch, double validationNdcg10, int averaged) {
    if (validationNdcg10 > best) {
      best = validationNdcg10;
      bestEpoch = epoch;
      bestEpochsAveraged = averaged;
      bestSnapshot = model.snapshot();
      return true;
    }
    return false;
  }

  /**
   * After {@link #improved} and the progress report: true when training should stop; otherwise
   * decays the learning rate if the epoch did not improve.
   */
  boolean stopAfter(int epoch, boolean improved) {
    if (epoch - bestEpoch >= patience) {
      return true;
    }
    if (!improved && plateauDecay < 1.0) {
      model.setLearningRate(model.learningRate() * plateauDecay);
      LOG.info("No better validation NDCG@10: learning rate now {}", model.learningRate());
    }
    return false;
  }

  /** Puts the best epoch's weights back into the model. */
  void restoreBest() {
    if (bestSnapshot != null) {
      model.restore(bestSnapshot);
    }
  }

  double best() {
    return best;
  }

  int bestEpoch() {
    return bestEpoch;
  }

  /** How many epochs up to {@link #bestEpoch} the kept weights average (1: that epoch's own). */
  int bestEpochsAveraged() {
    return bestEpochsAveraged;
  }
}
