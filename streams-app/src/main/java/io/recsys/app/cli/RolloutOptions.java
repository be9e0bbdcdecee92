package io.recsys.app.cli;

import io.recsys.app.registry.Rollout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --wait} and its timeout, and how promote and rollback report what they did. */
final class RolloutOptions {
  @Option(
      names = "--wait",
      description =
          "After publishing, read the recommendations topic until the first recommendation made"
              + " by the version (or the trainer's continuation of it) and report the time from"
              + " publication to it.")
  boolean waitForFirst;

  @Option(
      names = "--wait-timeout",
      defaultValue = "120",
      paramLabel = "SECONDS",
      description =
          "Longest --wait, in seconds (default ${DEFAULT-VALUE}); exit status 1 after it.")
  long waitTimeoutSeconds;

  Optional<Duration> waitFor() {
    return waitForFirst ? Optional.of(Duration.ofSeconds(waitTimeoutSeconds)) : Optional.empty();
  }

  /** Prints the human line and returns the summary; a missed --wait is reported, not thrown. */
  Map<String, Object> report(String command, Rollout.Result result) {
    var promotion = result.promotion();
    String name = "v" + promotion.version();
    System.out.printf(
        "%s %s: published %d bytes in %d chunks to model-updates (was live: %s; %d items, %d updates)%n",
        command.equals("models rollback") ? "Rolled back to" : "Promoted",
        name,
        result.published().bytes(),
        result.published().chunks(),
        promotion.previous() == null ? "no registry version" : "v" + promotion.previous(),
        result.checked().items(),
        result.checked().updates());
    if (waitForFirst) {
      if (result.firstRecommendationMs() != null) {
        System.out.printf(
            "First recommendation by %s (model version %s) %d ms after publishing%n",
            name,
            result.firstRecommendation().orElseThrow().modelVersion(),
            result.firstRecommendationMs());
      } else {
        System.err.printf(
            "error: no recommendation by %s within %d s (are events flowing and serving"
                + " following the topic?)%n",
            name, waitTimeoutSeconds);
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", command);
    summary.put("version", promotion.version());
    summary.put("previous", promotion.previous());
    summary.put("published_at", promotion.at());
    summary.put("bytes", result.published().bytes());
    summary.put("chunks", result.published().chunks());
    if (waitForFirst) {
      summary.put("first_recommendation_ms", result.firstRecommendationMs());
      summary.put(
          "first_recommendation_model_version",
          result.firstRecommendation().map(r -> r.modelVersion()).orElse(null));
    }
    return summary;
  }

  /** Exit status: a --wait that saw nothing fails, so scripts notice. */
  int status(Rollout.Result result) {
    return waitForFirst && result.firstRecommendationMs() == null ? CommandErrors.FAILED : 0;
  }
}
