package io.recsys.model.evaluation;

/**
 * Reported after each training epoch of an evaluation run.
 *
 * @param meanValidationNdcg10 validation NDCG@10 of the mean weights of the last {@code
 *     epochsAveraged} epochs; NaN when no mean was judged this epoch
 * @param best whether this epoch's weights or their mean are the best so far
 */
public record EpochProgress(
    int epoch,
    double trainLoss,
    double validationNdcg10,
    double meanValidationNdcg10,
    int epochsAveraged,
    double elapsedSeconds,
    boolean best) {

  /** An epoch without a judged mean. */
  public EpochProgress(
      int epoch, double trainLoss, double validationNdcg10, double elapsedSeconds, boolean best) {
    this(epoch, trainLoss, validationNdcg10, Double.NaN, 1, elapsedSeconds, best);
  }
}
