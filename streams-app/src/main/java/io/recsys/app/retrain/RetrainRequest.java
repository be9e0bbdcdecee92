package io.recsys.app.retrain;

import io.recsys.app.history.TimeRange;
import io.recsys.model.evaluation.EvaluationSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to retrain on and how.
 *
 * @param validationFraction share of the window's event-time span held out ({@link
 *     RetrainProtocol#TIME} only)
 * @param workDir where the rebuilt features go; null for a new {@code <state.dir>/retrain-<time>}
 *     that is deleted afterwards (a given directory is kept: it belongs to the caller)
 */
public record RetrainRequest(
    RetrainSource source,
    TimeRange range,
    RetrainProtocol protocol,
    EvaluationSettings settings,
    double validationFraction,
    Path workDir) {
  public RetrainRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(settings, "settings");
    if (!(validationFraction > 0.0 && validationFraction < 1.0)) {
      throw new IllegalArgumentException(
          "--validation-fraction must be in (0, 1), got " + validationFraction);
    }
  }
}
