package io.recsys.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateRecoveryTest {
  @TempDir Path dir;

  @Test
  void shouldTellAnUncleanExactlyOnceStopFromACleanClose() throws Exception {
    Path app = dir.resolve("recsys");
    assertThat(StateRecovery.open(app, true).followsUncleanStop())
        .as("a first start has no state to distrust")
        .isFalse();

    Files.createDirectories(app.resolve("0_1").resolve("rocksdb"));
    assertThat(StateRecovery.open(app, true).followsUncleanStop())
        .as("task state without the clean-close marker")
        .isTrue();
    assertThat(StateRecovery.open(app, false).followsUncleanStop())
        .as("at-least-once keeps its state whatever happened")
        .isFalse();

    Path trainerOnly = dir.resolve("trainer-only");
    Files.createDirectories(trainerOnly.resolve("global").resolve("rocksdb"));
    assertThat(StateRecovery.open(trainerOnly, true).followsUncleanStop())
        .as("global stores alone (no stream threads) without the marker")
        .isTrue();

    StateRecovery recovery = StateRecovery.open(app, true);
    recovery.closedCleanly();
    assertThat(StateRecovery.open(app, true).followsUncleanStop()).isFalse();
    assertThat(StateRecovery.open(app, true).followsUncleanStop())
        .as("the marker counts for one start only")
        .isTrue();
  }

  @Test
  void shouldDiscardTheTaskAndGlobalStateOfAnUncleanStopButKeepTheProcessId() throws Exception {
    Path app = dir.resolve("recsys");
    Files.createDirectories(app.resolve("0_1").resolve("rocksdb").resolve("user-features"));
    Files.createDirectories(app.resolve("global"));
    Files.writeString(app.resolve("kafka-streams-process-metadata"), "processId");

    StateRecovery.open(app, false).discardUncommittedState();
    assertThat(app.resolve("0_1")).as("at-least-once keeps it").exists();
    assertThat(app.resolve("global")).as("at-least-once keeps it").exists();

    StateRecovery.open(app, true).discardUncommittedState();
    assertThat(app.resolve("0_1")).doesNotExist();
    assertThat(app.resolve("global"))
        .as("a global store left marked open would stop the instance under exactly-once")
        .doesNotExist();
    assertThat(app.resolve("kafka-streams-process-metadata")).exists();
  }
}
