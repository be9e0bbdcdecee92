package io.recsys.app.replay;

import io.recsys.app.history.TimeRange;

/**
 * What to replay and where to.
 *
 * @param range the record timestamps to replay; it must have a start (an open end means the end of
 *     the topic as it is when the replay starts)
 * @param outputTopic where the replay's recommendations go; never a live topic
 * @param model which model scores the replayed events
 */
public record ReplayRequest(TimeRange range, String outputTopic, ModelChoice model) {

  public ReplayRequest {
    if (range.fromMs() == null) {
      throw new IllegalArgumentException("--from is required: a replay starts somewhere");
    }
    if (outputTopic == null || outputTopic.isBlank()) {
      throw new IllegalArgumentException("--output-topic must name a topic");
    }
  }

  /** The model a replay scores with: one fixed version for the whole replay. */
  public sealed interface ModelChoice permits LiveModel, RegistryModel, NoModel {}

  /** The newest version on the live {@code model-updates} topic when the replay starts. */
  public record LiveModel() implements ModelChoice {}

  /** A version from the model registry. */
  public record RegistryModel(int version) implements ModelChoice {}

  /** Popularity only. */
  public record NoModel() implements ModelChoice {}
}
