package io.recsys.app.cli;

import io.recsys.app.RecsysService;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the pipeline against an existing Kafka cluster until stopped (SIGINT/SIGTERM). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline against an existing Kafka cluster until stopped.",
      "The file holds recsys.* settings and any Kafka Streams or client setting;"
          + " environment variables RECSYS_CONFIG_<KEY> override it"
          + " (RECSYS_CONFIG_BOOTSTRAP_SERVERS sets bootstrap.servers)."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--config", required = true, description = "Properties file.")
  Path configFile;

  @Mixin JsonSummary json = new JsonSummary();

  @Override
  public Integer call() throws Exception {
    Map<String, Object> config = ConfigFiles.load(configFile, System.getenv());
    long started = System.nanoTime();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                closed.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "recsys-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    KafkaStreams.State finalState;
    try (RecsysService service =
        RecsysService.start(
            config,
            state -> {
              LOG.info("Pipeline state {}", state);
              if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
              }
            })) {
      service.url().ifPresent(url -> LOG.info("Dashboard and query API on {}", url));
      stopped.await();
      finalState = service.app().streams().state();
    } finally {
      closed.countDown();
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("command", "run");
    summary.put("uptime_s", (System.nanoTime() - started) / 1e9);
    summary.put("final_state", finalState.name());
    json.print(System.out, summary);
    return finalState == KafkaStreams.State.ERROR ? 1 : 0;
  }
}
