package io.recsys.app.retrain;

import java.util.Locale;

/** Which topic a retrain replays. */
public enum RetrainSource {
  /** Raw user events: validated again and replayed through a fresh rebuild of the features. */
  EVENTS("events"),
  /** The pipeline's training examples: each one's target is the user's next item. */
  TRAINING_EXAMPLES("training-examples");

  private final String label;

  RetrainSource(String label) {
    this.label = label;
  }

  /** The name users type: {@code events} or {@code training-examples}. */
  public String label() {
    return label;
  }

  /** Parses {@code events} or {@code training-examples} (case-insensitive, _ for -). */
  public static RetrainSource parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    for (RetrainSource s : values()) {
      if (s.label.equals(t)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "--source must be 'events' or 'training-examples', got '" + text + "'");
  }
}
