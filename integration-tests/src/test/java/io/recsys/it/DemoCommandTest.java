package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run through the same command line, on its own embedded broker. */
class DemoCommandTest {
  private static final Pattern USER_ID = Pattern.compile("user-\\d+");

  @TempDir Path dir;

  @Test
  void shouldAnswerEveryEventAndEndWithAJsonSummary() throws Exception {
    Path config = dir.resolve("demo.properties");
    Files.writeString(config, "recsys.http.port=0\n");
    CliRun run;
    List<String> logged;
    try (CapturedLog log = new CapturedLog()) {
      run =
          CliRun.of(
              "demo",
              "--max-events",
              "3000",
              "--invalid-rate",
              "0.01",
              "--progress-interval",
              "1",
              "--work-dir",
              dir.resolve("work").toString(),
              "--report-dir",
              dir.resolve("report").toString(),
              "--config",
              config.toString(),
              "--json");
      logged = log.lines();
    }

    List<String> lines = run.lines();
    JsonNode summary = run.lastJsonLine();
    assertThat(run.exitCode()).isZero();
    assertThat(summary.get("events_sent").asLong()).isEqualTo(3000);
    assertThat(summary.get("missing").asLong()).isZero();
    assertThat(summary.get("dead_letters").asLong()).isPositive();
    assertThat(summary.get("recommendations").asLong() + summary.get("dead_letters").asLong())
        .isEqualTo(3000);
    assertThat(summary.get("examples_emitted").asLong()).isPositive();
    assertThat(summary.get("examples_trained").asLong())
        .isLessThanOrEqualTo(summary.get("examples_emitted").asLong());
    // Whole-run percentiles cover every recommendation, so they exist whatever the run's length.
    assertThat(summary.get("latency_p50_ms_all").isNumber()).isTrue();
    assertThat(summary.get("latency_p99_ms_all").asDouble())
        .isGreaterThanOrEqualTo(summary.get("latency_p50_ms_all").asDouble());
    // Each recommendation reaches the consumer after it was computed, so delivery dominates.
    assertThat(summary.get("delivered_p50_ms_all").asDouble())
        .isGreaterThanOrEqualTo(summary.get("latency_p50_ms_all").asDouble());
    assertThat(summary.get("delivered_p99_ms_all").asDouble())
        .isGreaterThanOrEqualTo(summary.get("latency_p99_ms_all").asDouble());
    // The process did work for the run: CPU time on at least one core, spent per event.
    assertThat(summary.get("cores").asInt()).isPositive();
    assertThat(summary.get("cpu_s").asDouble()).isPositive();
    assertThat(summary.get("cpu_us_per_event").asDouble() * 3000 / 1e6)
        .isCloseTo(summary.get("cpu_s").asDouble(), within(0.01));
    assertThat(summary.get("gc_count").asLong()).isNotNegative();
    assertThat(lines).anyMatch(line -> line.startsWith("Process: "));
    assertThat(lines).anyMatch(line -> line.startsWith("Event to recommendation: p50 "));
    assertThat(lines).anyMatch(line -> line.startsWith("Dashboard and query API: http://"));
    assertThat(lines).anyMatch(line -> line.contains("| recommendations out"));
    // The run logged at INFO (so the scan below reads something), and no line names a user:
    // the synthetic users are user-<n>
    assertThat(logged).anyMatch(line -> line.startsWith("INFO io.recsys"));
    assertThat(logged).noneMatch(line -> USER_ID.matcher(line).find());
    assertThat(lines).noneMatch(line -> USER_ID.matcher(line).find());
  }
}
