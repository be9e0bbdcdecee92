package io.recsys.app.eventfiles;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads an event time as files write it: epoch seconds, milliseconds or microseconds (told apart by
 * magnitude: seconds until the year 5138, milliseconds after 1973), with or without a fraction, or
 * ISO-8601 (with an offset, or without one, read as UTC; a date alone is its start).
 */
final class EventTimes {
  private static final double MAX_SECONDS = 1e11;
  private static final double MAX_MILLIS = 1e14;

  private EventTimes() {}

  /**
   * Epoch milliseconds of {@code text}.
   *
   * @throws IllegalArgumentException when it is neither a number nor ISO-8601
   */
  static long toEpochMillis(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    if (numeric(t)) {
      double v = Double.parseDouble(t);
      if (v < MAX_SECONDS) {
        return Math.round(v * 1000);
      }
      return v < MAX_MILLIS ? Math.round(v) : Math.round(v / 1000);
    }
    try {
      return OffsetDateTime.parse(t).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      // Not with an offset: try the forms without one.
    }
    try {
      return Instant.parse(t).toEpochMilli();
    } catch (DateTimeParseException e) {
      // Not an instant with Z either.
    }
    try {
      return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException e) {
      // Not a local date-time.
    }
    try {
      return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + t + "' is neither epoch seconds/milliseconds nor an ISO-8601 time");
    }
  }

  private static boolean numeric(String t) {
    boolean digit = false;
    boolean dot = false;
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digit;
  }
}
