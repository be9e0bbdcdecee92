package io.recsys.app.cli;

import io.recsys.app.eventfiles.EventHistories;

/**
 * The event history a flag names ({@code --data}, {@code --load}, {@code --file}), checked before
 * anything starts: {@code movielens:DIR} or {@code file:PATH} ({@link EventHistories}).
 */
final class DataSourceArgument {
  private DataSourceArgument() {}

  /**
   * Checks {@code value}.
   *
   * @param flag the flag's name, for the message
   * @param alternatives what else {@code flag} accepts (for the message), such as "synthetic, "
   * @throws UsageError naming the flag, the value and what to give instead
   */
  static String history(String flag, String value, String alternatives) {
    try {
      EventHistories.check(value);
    } catch (IllegalArgumentException e) {
      throw new UsageError(
          flag
              + ": "
              + e.getMessage()
              + (alternatives.isEmpty() ? "" : "; " + flag + " also takes " + alternatives));
    }
    return value;
  }

  /** Checks a value ({@code --data}, {@code --file}) that may also be {@code synthetic}. */
  static void syntheticOrHistory(String flag, String value) {
    if (!value.equals("synthetic")) {
      history(flag, value, "synthetic");
    }
  }
}
