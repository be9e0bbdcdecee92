package io.recsys.app.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a demo run's prequential curve as a Markdown table and a PNG plot side by side. */
public final class CurveReport {
  private CurveReport() {}

  /** Writes both files into {@code dir} and returns the table followed by where they are. */
  public static String write(DemoResult result, Path dir) throws IOException {
    Files.createDirectories(dir);
    String table = PrequentialCurve.table(result.curve());
    Path tableFile = dir.resolve("prequential-curve.md");
    Path plotFile = dir.resolve("prequential-curve.png");
    Files.writeString(
        tableFile,
        "# Prequential curve: " + result.data() + "\n\n" + table,
        StandardCharsets.UTF_8);
    CurvePlot.write(
        result.curve(), "Prequential HR@10 / NDCG@10 per window: " + result.data(), plotFile);
    return table + "Curve written to " + tableFile + " and " + plotFile + "\n";
  }
}
