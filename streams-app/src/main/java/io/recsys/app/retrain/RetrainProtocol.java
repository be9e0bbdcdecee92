package io.recsys.app.retrain;

import java.util.Locale;

/** How a retrain validates: the split by time of the issue, or evaluate's leave-one-out. */
public enum RetrainProtocol {
  /** The last share of the window's event-time span is held out (the default). */
  TIME,
  /**
   * Exactly {@code recsys evaluate}'s leave-one-out protocol on the records read, so a retrain from
   * a topic can be compared with an evaluation from files on the same data.
   */
  LOO;

  public static RetrainProtocol parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--protocol must be 'time' or 'loo', got '" + text + "'");
    }
  }
}
