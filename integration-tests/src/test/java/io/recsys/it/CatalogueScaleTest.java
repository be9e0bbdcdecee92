package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo on a 50,000-item synthetic catalogue, served through the candidate index: the pipeline
 * runs end to end on its embedded broker, the index is built and adopted while events flow, and
 * every valid event still gets a recommendation.
 */
class CatalogueScaleTest {
  @TempDir Path dir;

  @Test
  void shouldAnswerEveryEventThroughTheIndexOnALargeCatalogue() throws Exception {
    Path config = dir.resolve("scale.properties");
    // The index from 2,000 items: the model knows only the items seen, a few thousand here; one
    // list in ten checked against every item scored.
    Files.writeString(
        config,
        "recsys.http.port=0\nrecsys.serving.index.min.items=2000\n"
            + "recsys.serving.index.check.share=0.1\n");
    CliRun run =
        CliRun.of(
            "demo",
            "--items",
            "50000",
            "--max-events",
            "15000",
            "--work-dir",
            dir.resolve("work").toString(),
            "--config",
            config.toString(),
            "--json");

    List<String> lines = run.lines();
    JsonNode summary = run.lastJsonLine();
    assertThat(run.exitCode()).isZero();
    assertThat(summary.get("events_sent").asLong()).isEqualTo(15_000);
    assertThat(summary.get("missing").asLong()).isZero();
    assertThat(summary.get("recommendations").asLong() + summary.get("dead_letters").asLong())
        .isEqualTo(15_000);
    assertThat(summary.get("model_items").asLong()).isGreaterThan(2_000);
    assertThat(summary.get("index_builds").asLong()).isPositive();
    // The graph is built over the first version with at least 2,000 items, which may hold exactly
    // that many (a CI run did).
    assertThat(summary.get("index_items").asLong()).isGreaterThanOrEqualTo(2_000);
    assertThat(lines).anyMatch(line -> line.startsWith("Served model: ") && line.contains("index"));
    // Checked lists were scored on their users' next events, and the index held most of their
    // exact top 10.
    assertThat(summary.get("index_check_events").asLong()).isPositive();
    assertThat(summary.get("index_recall_sampled").asDouble()).isBetween(0.5, 1.0);
    assertThat(summary.get("index_check_exhaustive_hr10").asDouble()).isBetween(0.0, 1.0);
  }
}
