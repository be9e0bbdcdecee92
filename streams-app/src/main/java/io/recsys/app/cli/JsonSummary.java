package io.recsys.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.recsys.schemas.Json;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option every subcommand carries: when set, the command ends by printing its
 * figures as one line of JSON on stdout, for scripts and benchmarks.
 */
public final class JsonSummary {
  @Option(
      names = "--json",
      description = "End with a one-line JSON summary of the figures on stdout.")
  boolean enabled;

  public boolean enabled() {
    return enabled;
  }

  /** Prints {@code figures} as one JSON line if {@code --json} was given. */
  public void print(PrintStream out, Map<String, ?> figures) {
    if (enabled) {
      out.println(toJson(figures));
      out.flush();
    }
  }

  public static String toJson(Map<String, ?> figures) {
    try {
      return Json.newMapper().writeValueAsString(figures);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
