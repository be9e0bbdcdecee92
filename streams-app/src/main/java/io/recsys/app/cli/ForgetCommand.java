package io.recsys.app.cli;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.erasure.DeletionReports;
import io.recsys.app.erasure.DeletionRequests;
import io.recsys.schemas.DeletionReport;
import io.recsys.schemas.UserDeletion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code recsys forget USER}: asks a running deployment to forget one user, waits for every
 * component's confirmation and prints what each removed.
 */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Forget one user everywhere: writes a deletion request to the user-deletions topic (keyed"
          + " by the user id, like the user's events), then waits until the stream task that owns"
          + " the user and the trainer confirm on user-deletions-applied, and prints what each"
          + " removed per store. The pipeline removes the user's features, seen items, held lists,"
          + " waiting events and carried states, and publishes tombstones on the changelogs,"
          + " recommendations and training-examples; the trainer drops its carried state. The"
          + " model holds no user data.",
      "Idempotent: forgetting an unknown user is confirmed with nothing removed. Exit status 1"
          + " when a confirmation did not arrive within --timeout (the request stays on the topic"
          + " and is applied when the component runs again)."
    })
final class ForgetCommand implements Callable<Integer> {
  private static final String COMMAND = "forget";

  @Parameters(index = "0", paramLabel = "USER", description = "The user id, as on events.")
  String userId;

  @Mixin RegistryOptions options = new RegistryOptions();

  @Option(
      names = "--timeout",
      defaultValue = "120",
      paramLabel = "SECONDS",
      description = "How long to wait for the confirmations (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--wait-for",
      split = ",",
      paramLabel = "COMPONENT",
      description =
          "The components whose confirmation to wait for: pipeline, trainer (default: pipeline,"
              + " and trainer where recsys.trainer.enabled is true in the configuration); none"
              + " to only send the request.")
  List<String> waitFor;

  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) {
      throw new UsageError("--timeout: must be at least 1 second, got " + timeoutSeconds);
    }
    Map<String, Object> config = options.config();
    RecsysSettings settings = options.settings();
    Set<String> components = components(settings);
    long started = System.nanoTime();
    UserDeletion deletion;
    List<DeletionReport> reports;
    try (DeletionReports.Watch watch =
            new DeletionReports.Watch(config, settings.topics().deletionReports());
        DeletionRequests requests =
            new DeletionRequests(config, settings.topics().userDeletions())) {
      deletion = requests.request(userId);
      System.out.printf(
          "Deletion %s sent to %s; waiting for %s%n",
          deletion.requestId(),
          settings.topics().userDeletions(),
          components.isEmpty() ? "nothing" : String.join(" and ", components));
      reports = watch.await(deletion.requestId(), components, Duration.ofSeconds(timeoutSeconds));
    } catch (KafkaException e) {
      return CommandErrors.fail(json, COMMAND, e.getMessage());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Object> removed = new LinkedHashMap<>();
    List<String> confirmed = new ArrayList<>();
    for (DeletionReport report : reports) {
      System.out.printf(
          "  %-8s %s, partition %d: %s%n",
          report.component(), report.instance(), report.partition(), describe(report.removed()));
      removed.put(report.component(), report.removed());
      confirmed.add(report.component());
    }
    List<String> missing = new ArrayList<>(components);
    missing.removeAll(confirmed);
    if (missing.isEmpty()) {
      System.out.printf(
          "Forgotten: confirmed by %s in %.1f s%n",
          confirmed.isEmpty() ? "nobody (not waited for)" : String.join(" and ", confirmed),
          seconds);
    } else {
      System.err.printf(
          "error: no confirmation from %s within %d s; the request stays on %s and is applied"
              + " when that component runs%n",
          String.join(" and ", missing), timeoutSeconds, settings.topics().userDeletions());
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", COMMAND);
    summary.put("request_id", deletion.requestId());
    summary.put("requested_at", deletion.requestedAt());
    summary.put("confirmed", confirmed);
    summary.put("missing", missing);
    summary.put("removed", removed);
    summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
    json.print(System.out, summary);
    return missing.isEmpty() ? 0 : CommandErrors.FAILED;
  }

  private Set<String> components(RecsysSettings settings) {
    Set<String> components = new LinkedHashSet<>();
    if (waitFor == null) {
      components.add(DeletionReport.PIPELINE);
      if (settings.trainer().enabled()) {
        components.add(DeletionReport.TRAINER);
      }
      return components;
    }
    for (String name : waitFor) {
      String component = name.trim().toLowerCase(Locale.ROOT);
      if (component.equals("none")) {
        continue;
      }
      if (!component.equals(DeletionReport.PIPELINE) && !component.equals(DeletionReport.TRAINER)) {
        throw new UsageError(
            "--wait-for: unknown component '" + name + "'; use pipeline, trainer or none");
      }
      components.add(component);
    }
    return components;
  }

  private static String describe(Map<String, Long> removed) {
    List<String> parts = new ArrayList<>();
    removed.forEach((store, count) -> parts.add(store + " " + count));
    return String.join(", ", parts);
  }
}
