package io.recsys.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.recsys.app.cli.RecsysCommand;
import io.recsys.schemas.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One {@code bin/recsys ...} command run in this JVM through the real command line, with what it
 * printed: its exit code, standard output and picocli's error stream.
 */
record CliRun(int exitCode, String out, String err) {

  static synchronized CliRun of(String... args) {
    StringWriter err = new StringWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = RecsysCommand.commandLine().setErr(new PrintWriter(err, true)).execute(args);
      return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(previous);
    }
  }

  List<String> lines() {
    return out.lines().toList();
  }

  /** The one-line JSON summary a {@code --json} command ends with. */
  JsonNode lastJsonLine() throws IOException {
    List<String> lines = out.strip().lines().toList();
    return Json.newMapper().readTree(lines.get(lines.size() - 1));
  }
}
