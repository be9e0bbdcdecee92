package io.recsys.it;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code recsys run --config FILE} in a JVM of its own, on this JVM's class path, its output in
 * {@code log}: for tests and benchmarks that kill the application (SIGKILL) and start it again.
 */
public final class RunProcess {
  private RunProcess() {}

  /**
   * @param heap the {@code -Xmx} value, such as {@code 512m}
   */
  public static Process start(Path config, Path log, String heap) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx" + heap,
            "-cp",
            System.getProperty("java.class.path"),
            "io.recsys.app.cli.RecsysCommand",
            "run",
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
