package io.recsys.app.cli;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.demo.SyntheticBehaviour;
import io.recsys.app.demo.SyntheticBehaviourConfig;
import io.recsys.app.eventfiles.EventHistories;
import io.recsys.app.eventfiles.FileEvent;
import io.recsys.app.kafka.ClientConfigs;
import io.recsys.app.kafka.EventWriter;
import io.recsys.app.kafka.TopicProvisioner;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recsys produce}: replays a recorded history into a running deployment's events topic, in
 * time order, paced or as fast as possible, with a progress line.
 */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Write a recorded event history into the events topic of the deployment that --config"
          + " names, in time order (ties in file order): one JSON event per line of the file,"
          + " keyed by user id, record timestamp = event time. The pipeline validates them like"
          + " any event (bad ones go to the dead-letter topic); a line the file reader cannot"
          + " read stops the command before anything is written, naming the line and field.",
      "--file synthetic writes the demo's synthetic behaviour instead, stamped from now on."
    })
final class ProduceCommand implements Callable<Integer> {
  private static final String COMMAND = "produce";
  private static final String SYNTHETIC = "synthetic";
  private static final int SYNTHETIC_DEFAULT_EVENTS = 20_000;
  private static final long SYNTHETIC_SEED = 42;

  @Option(
      names = "--file",
      required = true,
      paramLabel = "SOURCE",
      description =
          "file:PATH (a CSV, TSV or JSON-lines event file, see --columns; a bare path works too),"
              + " movielens:DIR, or synthetic (the demo's behaviour, event times from now on).")
  String file;

  @Option(
      names = "--events",
      paramLabel = "N",
      description =
          "Write at most the first N events (in time order). Default: all of a file, "
              + SYNTHETIC_DEFAULT_EVENTS
              + " synthetic ones.")
  Integer maxEvents;

  @Mixin EventFileOptions eventFile = new EventFileOptions();

  @Mixin RegistryOptions options = new RegistryOptions();

  @Option(
      names = "--rate",
      defaultValue = "max",
      paramLabel = "EVENTS_PER_S",
      description = "Events per second, or max (as fast as the broker takes them; default).")
  String rate;

  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    double eventsPerSecond = eventsPerSecond();
    DataSourceArgument.syntheticOrHistory("--file", file);
    if (maxEvents != null && maxEvents < 1) {
      throw new UsageError("--events: expected a positive number of events, got " + maxEvents);
    }
    Map<String, Object> config = options.config();
    RecsysSettings settings = options.settings();
    long readStart = System.nanoTime();
    List<UserEvent> events = events();
    double readSeconds = (System.nanoTime() - readStart) / 1e9;
    String topic = settings.topics().events();
    try (Admin admin =
        Admin.create(ClientConfigs.subset(config, AdminClientConfig.configNames()))) {
      // A producer would have the broker create a missing topic with its defaults (one
      // partition), which the pipeline then refuses: the deployment creates its topics.
      if (TopicProvisioner.partitionsOf(admin, topic).isEmpty()) {
        return CommandErrors.fail(
            json,
            COMMAND,
            "topic "
                + topic
                + " does not exist: start the deployment (recsys run) first, or name its events"
                + " topic with recsys.topic.events");
      }
    } catch (KafkaException e) {
      return CommandErrors.fail(json, COMMAND, e.getMessage());
    }
    System.out.printf(
        Locale.ROOT,
        "%s %,d events from %s in %.1f s (%,.0f per s); writing them to %s at %s%n",
        file.equals(SYNTHETIC) ? "Made" : "Read",
        events.size(),
        file,
        readSeconds,
        events.size() / Math.max(readSeconds, 1e-9),
        topic,
        eventsPerSecond > 0 ? Math.round(eventsPerSecond) + " events/s" : "full speed");
    long start = System.nanoTime();
    long written;
    try {
      written =
          EventWriter.write(
              config, topic, events, eventsPerSecond, n -> progress(n, events.size(), start));
    } catch (KafkaException e) {
      return CommandErrors.fail(json, COMMAND, e.getMessage());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "Produced %,d events to %s in %.1f s (%,.0f events/s)%n",
        written,
        topic,
        seconds,
        written / Math.max(seconds, 1e-9));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", COMMAND);
    summary.put("source", file);
    summary.put("topic", topic);
    summary.put("events", written);
    summary.put("read_seconds", Math.round(readSeconds * 1000) / 1000.0);
    summary.put("read_lines_per_s", Math.round(events.size() / Math.max(readSeconds, 1e-9)));
    summary.put("seconds", Math.round(seconds * 1000) / 1000.0);
    summary.put("events_per_s", Math.round(written / Math.max(seconds, 1e-9)));
    json.print(System.out, summary);
    return 0;
  }

  /** The events to write, in time order. */
  private List<UserEvent> events() throws IOException {
    if (file.equals(SYNTHETIC)) {
      int n = maxEvents != null ? maxEvents : SYNTHETIC_DEFAULT_EVENTS;
      var behaviour =
          new SyntheticBehaviour(
              SyntheticBehaviourConfig.defaults(SYNTHETIC_SEED)
                  .startingAt(System.currentTimeMillis()));
      List<UserEvent> events = new ArrayList<>(n);
      while (events.size() < n && behaviour.hasNext()) {
        events.add(behaviour.next());
      }
      return events;
    }
    List<FileEvent> read = EventHistories.read(file, eventFile.mapping());
    int n = maxEvents != null ? Math.min(maxEvents, read.size()) : read.size();
    return read.subList(0, n).stream().map(FileEvent::toUserEvent).toList();
  }

  private double eventsPerSecond() {
    if (rate.equals("max")) {
      return 0;
    }
    try {
      double value = Double.parseDouble(rate);
      if (value > 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new UsageError(
        "--rate: expected a positive number of events per second or max, got '" + rate + "'");
  }

  private static void progress(long written, long total, long start) {
    double seconds = (System.nanoTime() - start) / 1e9;
    int width = 30;
    int filled = total == 0 ? width : (int) (width * written / total);
    System.out.printf(
        Locale.ROOT,
        "[%s%s] %,d / %,d (%.0f%%) %,.0f events/s%n",
        "#".repeat(filled),
        ".".repeat(width - filled),
        written,
        total,
        total == 0 ? 100.0 : 100.0 * written / total,
        written / Math.max(seconds, 1e-9));
  }
}
