package io.recsys.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class CorruptedTaskFilterTest {
  private static final String INTERNALS = "org.apache.kafka.streams.processor.internals.";
  private final LoggerContext context = new LoggerContext();
  private final CorruptedTaskFilter filter = new CorruptedTaskFilter();

  private static TaskCorruptedException corrupted(int partition) {
    return new TaskCorruptedException(java.util.Set.of(new TaskId(0, partition)));
  }

  private FilterReply decide(
      String logger, Level level, String format, Object[] params, Throwable t) {
    Logger log = context.getLogger(INTERNALS + logger);
    return filter.decide(null, log, level, format, params, t);
  }

  @Test
  void shouldDropWhatKafkaStreamsLogsWhileItRestoresCorruptedTasks() {
    assertThat(
            decide(
                "TaskManager",
                Level.ERROR,
                "stream-thread [t] Get exceptions for the following tasks: {}",
                new Object[] {
                  Map.of(new TaskId(0, 1), corrupted(1), new TaskId(0, 2), corrupted(2))
                },
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "TaskManager",
                Level.ERROR,
                "stream-thread [t] Get exceptions for the following tasks: {0_0="
                    + TaskCorruptedException.class.getName()
                    + ": Tasks [0_0] are corrupted and hence need to be re-initialized, 1_0="
                    + TaskCorruptedException.class.getName()
                    + ": Tasks [1_0] are corrupted and hence need to be re-initialized}",
                null,
                null))
        .as("as Kafka's log context hands it over: formatted")
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "ProcessorStateManager",
                Level.WARN,
                "State store {} did not find checkpoint offsets while stores are not empty, since"
                    + " under EOS it has the risk of getting uncommitted data in stores",
                new Object[] {"user-features", new TaskId(0, 1)},
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "StateDirectory",
                Level.WARN,
                "Failed to register startup state stores for task {}: {}",
                new Object[] {
                  "1_0", "Tasks [1_0] are corrupted and hence need to be re-initialized"
                },
                null))
        .isEqualTo(FilterReply.DENY);
    assertThat(
            decide(
                "StreamThread",
                Level.WARN,
                "Detected the states of tasks {} are corrupted.",
                new Object[] {"[0_1]", corrupted(1)},
                null))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void shouldPassOtherFailuresAndOtherLoggers() {
    assertThat(
            decide(
                "TaskManager",
                Level.ERROR,
                "Get exceptions for the following tasks: {}",
                new Object[] {Map.of(new TaskId(0, 1), new StreamsException("disk full"))},
                null))
        .as("a real failure stays an ERROR")
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                "TaskManager",
                Level.ERROR,
                "Get exceptions for the following tasks: {0_0="
                    + TaskCorruptedException.class.getName()
                    + ": Tasks [0_0] are corrupted, 1_0=org.apache.kafka.streams.errors"
                    + ".StreamsException: disk full}",
                null,
                null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            decide(
                "StreamThread",
                Level.ERROR,
                "Encountered the following exception during processing",
                null,
                new StreamsException("boom")))
        .isEqualTo(FilterReply.NEUTRAL);
    Logger other = context.getLogger("io.recsys.app.RecsysApp");
    assertThat(filter.decide(null, other, Level.WARN, "x {}", new Object[] {corrupted(1)}, null))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
