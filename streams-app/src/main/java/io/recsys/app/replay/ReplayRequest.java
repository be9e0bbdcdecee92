package io.recsys.app.replay;

/**
 * What to replay and where to.
 *
 * @param fromTimestamp first event record timestamp included, epoch ms
 * @param toTimestamp first event record timestamp excluded, epoch ms ({@link Long#MAX_VALUE}: up to
 *     the end of the topic as it is when the replay starts)
 * @param outputTopic where the replay's recommendations go; never a live topic
 * @param model which model scores the replayed events
 */
public record ReplayRequest(
    long fromTimestamp, long toTimestamp, String outputTopic, ModelChoice model) {

  public ReplayRequest {
    if (toTimestamp <= fromTimestamp) {
      throw new IllegalArgumentException(
          "--to (" + toTimestamp + ") must be after --from (" + fromTimestamp + ")");
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
