package io.recsys.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the {@code models} and {@code forget} commands report an error: one line on stderr, and in
 * the summary.
 */
final class CommandErrors {
  /** Exit status of a command that refused, failed or timed out. */
  static final int FAILED = 1;

  private CommandErrors() {}

  static int fail(JsonSummary json, String command, String message) {
    System.err.println("error: " + message);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", command);
    summary.put("error", message);
    json.print(System.out, summary);
    return FAILED;
  }
}
