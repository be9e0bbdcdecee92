package io.recsys.app.cli;

import io.recsys.app.eventfiles.ColumnMapping;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The {@code --columns} flag of the commands that read event files. */
final class EventFileOptions {
  @Option(
      names = "--columns",
      paramLabel = "MAPPING",
      description =
          "Which columns of an event file hold what: user=COL,item=COL,time=COL[,type=COL]"
              + "[,value=COL], by header name or by number (1 = first; the file then has no"
              + " header). Default: recognised from the header (userId/user_id/movieId/asin/...,"
              + " timestamp/time/ts/date/..., rating/value, event_type/action/...). Time: epoch"
              + " s or ms, or ISO-8601.")
  String columns;

  /**
   * The mapping given, or empty to recognise it.
   *
   * @throws UsageError naming the flag when it does not parse
   */
  Optional<ColumnMapping> mapping() {
    if (columns == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ColumnMapping.parse(columns));
    } catch (IllegalArgumentException e) {
      throw new UsageError("--columns " + columns + ": " + e.getMessage());
    }
  }
}
