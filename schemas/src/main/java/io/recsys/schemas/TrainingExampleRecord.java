package io.recsys.schemas;

import java.util.List;

/**
 * The value of the internal {@code training-examples} topic (key = user id): one next-item example
 * cut from the stream, and what retraining replays.
 *
 * @param schemaVersion layout version, {@link #SCHEMA_VERSION}
 * @param userId the user
 * @param sequence the user's recent items before the event, oldest first
 * @param target the item of the event: what the model should have predicted
 * @param weight the event type's configured weight
 * @param eventTime event time of the event, epoch ms
 */
public record TrainingExampleRecord(
    int schemaVersion,
    String userId,
    List<String> sequence,
    String target,
    double weight,
    long eventTime) {

  public static final int SCHEMA_VERSION = 1;

  public TrainingExampleRecord {
    sequence = List.copyOf(sequence);
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("target: must be a non-blank item id, got " + target);
    }
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight: must be finite and > 0, got " + weight);
    }
  }
}
