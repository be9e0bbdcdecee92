package io.recsys.model;

import java.util.List;
import java.util.Objects;

/**
 * One next-item example: the user's recent items before the event (oldest first), the item of the
 * event, its weight (for example by event type), and the event time, which drives vocabulary expiry
 * (0 when unknown: the item then counts as seen at the latest time seen so far).
 */
public record TrainingExample(
    List<String> sequence, String target, double weight, long eventTimeMs) {
  public TrainingExample {
    sequence = List.copyOf(sequence);
    Objects.requireNonNull(target, "target");
    if (!(weight >= 0.0) || !Double.isFinite(weight)) {
      throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
    }
  }

  public TrainingExample(List<String> sequence, String target, double weight) {
    this(sequence, target, weight, 0L);
  }
}
