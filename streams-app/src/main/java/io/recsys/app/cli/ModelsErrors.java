package io.recsys.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** How the {@code models} subcommands report an error: one line on stderr, and in the summary. */
final class ModelsErrors {
  /** Exit status of a {@code models} command that refused or failed. */
  static final int FAILED = 1;

  private ModelsErrors() {}

  static int fail(JsonSummary json, String command, String message) {
    System.err.println("error: " + message);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", command);
    summary.put("error", message);
    json.print(System.out, summary);
    return FAILED;
  }
}
