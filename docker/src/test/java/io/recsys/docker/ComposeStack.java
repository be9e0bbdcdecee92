package io.recsys.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The compose stack of {@code docker/docker-compose.yml} under a project name of its own, driven
 * through the compose command line, as an operator would: {@code docker-compose} (v1) where it is
 * installed, else {@code docker compose} (v2).
 */
final class ComposeStack {
  private final Path composeFile;
  private final String project;
  private final Map<String, String> environment;
  private final List<String> compose;

  ComposeStack(Path composeFile, String project, Map<String, String> environment) {
    this.composeFile = composeFile;
    this.project = project;
    this.environment = Map.copyOf(environment);
    this.compose =
        commandExists("docker-compose") ? List.of("docker-compose") : List.of("docker", "compose");
  }

  /** Whether a Docker engine answers (the client alone is not enough). */
  static boolean engineAnswers() {
    try {
      return new Command(List.of("docker", "info"), Map.of()).run(Duration.ofSeconds(30)).ok();
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** Whether {@code image} is on this engine, or can be pulled to it. */
  static boolean imageAvailable(String image) {
    var env = Map.<String, String>of();
    return new Command(List.of("docker", "image", "inspect", image), env)
            .run(Duration.ofSeconds(30))
            .ok()
        || new Command(List.of("docker", "pull", "-q", image), env).run(Duration.ofMinutes(5)).ok();
  }

  /** Builds {@code context}'s Dockerfile as {@code tag}, or throws with the build's output. */
  static void build(Path context, String tag, Map<String, String> buildArgs) {
    List<String> command = new ArrayList<>(List.of("docker", "build", "-q", "-t", tag));
    buildArgs.forEach((k, v) -> command.addAll(List.of("--build-arg", k + "=" + v)));
    command.add(context.toString());
    new Command(command, Map.of()).run(Duration.ofMinutes(10)).orThrow();
  }

  /** Runs {@code compose <args>} for this project; throws with its output when it fails. */
  String run(String... args) {
    return run(Duration.ofMinutes(5), args);
  }

  String run(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of("-p", project, "-f", composeFile.toString()));
    command.addAll(List.of(args));
    return new Command(command, environment).run(timeout).orThrow();
  }

  /** The Docker health status of {@code service}'s container: starting, healthy or unhealthy. */
  String health(String service) {
    String id = run("ps", "-q", service).strip();
    return new Command(
            List.of("docker", "inspect", "-f", "{{.State.Health.Status}}", id), environment)
        .run(Duration.ofSeconds(30))
        .orThrow()
        .strip();
  }

  /** Every service's log, for a failure's diagnosis. */
  String logs() {
    try {
      return run("logs", "--no-color");
    } catch (RuntimeException e) {
      return "(no logs: " + e.getMessage() + ")";
    }
  }

  private static boolean commandExists(String name) {
    try {
      return new Command(List.of(name, "version"), Map.of()).run(Duration.ofSeconds(30)).ok();
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** One process, its output merged. */
  private record Command(List<String> command, Map<String, String> environment) {
    Result run(Duration timeout) {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      try {
        Process process = builder.start();
        // Read while it runs: a full pipe would block it.
        var output = new StringBuilder();
        Thread reader =
            new Thread(
                () -> {
                  try {
                    output.append(
                        new String(
                            process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    output.append("(output unreadable: ").append(e).append(')');
                  }
                });
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          reader.join(5_000);
          return new Result(command, -1, "timed out after " + timeout + "\n" + output);
        }
        reader.join();
        return new Result(command, process.exitValue(), output.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot run " + command, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while running " + command, e);
      }
    }
  }

  private record Result(List<String> command, int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }

    String orThrow() {
      if (!ok()) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
      }
      return output;
    }
  }
}
