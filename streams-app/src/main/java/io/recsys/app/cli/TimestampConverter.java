package io.recsys.app.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time as users type it: an ISO-8601 instant ({@code 2026-11-01T00:00:00Z}) or epoch
 * milliseconds ({@code 1793491200000}, what Kafka record timestamps are). Converts to epoch ms.
 */
public final class TimestampConverter implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    String text = value.trim();
    if (text.matches("-?[0-9]+")) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw invalid(value);
      }
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw invalid(value);
    }
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException(
        "expected an ISO-8601 instant (2026-11-01T00:00:00Z) or epoch milliseconds, got '"
            + value
            + "'");
  }
}
