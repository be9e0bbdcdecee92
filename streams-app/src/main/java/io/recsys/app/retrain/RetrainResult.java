package io.recsys.app.retrain;

import io.recsys.app.history.TopicRangeReader;
import io.recsys.app.registry.RegisteredModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished retrain.
 *
 * @param read what was read from the topic
 * @param invalidRecords records that failed validation or decoding, skipped
 * @param interactions items in the rebuilt histories, after consecutive repeats were merged
 * @param evaluation the evaluation report registered with the model
 * @param registered the new registry version
 */
public record RetrainResult(
    TopicRangeReader.ReadSummary read,
    long invalidRecords,
    int interactions,
    Map<String, Object> evaluation,
    RegisteredModel registered) {
  public RetrainResult {
    evaluation = Collections.unmodifiableMap(new LinkedHashMap<>(evaluation));
  }
}
