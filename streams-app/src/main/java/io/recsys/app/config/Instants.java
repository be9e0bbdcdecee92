package io.recsys.app.config;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Points in time as users write them in flags and settings. */
public final class Instants {
  private Instants() {}

  /**
   * An ISO-8601 instant ({@code 2003-01-01T00:00:00Z}) or epoch milliseconds, as epoch ms.
   *
   * @param name the flag or setting, for the message
   * @throws IllegalArgumentException naming {@code name}, the accepted forms and the text
   */
  public static long parseEpochMillis(String name, String text) {
    String t = text.strip();
    if (t.matches("-?[0-9]+")) {
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        // too many digits: falls through to the error below
      }
    } else {
      try {
        return Instant.parse(t).toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException(
        name
            + ": expected an ISO-8601 instant (such as 2003-01-01T00:00:00Z) or epoch"
            + " milliseconds, got '"
            + text
            + "'");
  }
}
