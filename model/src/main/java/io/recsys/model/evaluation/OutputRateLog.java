package io.recsys.model.evaluation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@link EvaluationSettings#forData} and says in one line what it chose, and why. */
final class OutputRateLog {
  private static final Logger LOG = LoggerFactory.getLogger(OutputRateLog.class);

  private OutputRateLog() {}

  static EvaluationSettings scaled(EvaluationSettings settings, long examples, int items) {
    EvaluationSettings scaled = settings.forData(examples, items);
    if (scaled != settings) {
      LOG.info(
          "Output rows' learning-rate scale {} for {} examples per item (set"
              + " --output-learning-rate-scale to choose it)",
          scaled.model().outputLearningRateScale(),
          String.format("%.1f", examples / (double) Math.max(1, items)));
    }
    return scaled;
  }
}
