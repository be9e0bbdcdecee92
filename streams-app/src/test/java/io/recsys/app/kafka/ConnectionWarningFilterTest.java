package io.recsys.app.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConnectionWarningFilterTest {
  private static final String FORMAT =
      "[AdminClient clientId=admin-1] Connection to node {} ({}) could not be established. Node"
          + " may not be available.";

  private final LoggerContext context = new LoggerContext();
  private final Logger networkClient = context.getLogger("org.apache.kafka.clients.NetworkClient");
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ConnectionWarningFilter filter = new ConnectionWarningFilter(now::get);

  private FilterReply attempt(int node) {
    return filter.decide(
        null, networkClient, Level.WARN, FORMAT, new Object[] {node, "localhost:9092"}, null);
  }

  @Test
  void shouldLetTheFirstFailurePassAndHoldBackTheRetriesThatFollow() {
    assertThat(attempt(-1)).isEqualTo(FilterReply.NEUTRAL);
    for (int i = 0; i < 30; i++) {
      now.addAndGet(1000);
      assertThat(attempt(-1)).isEqualTo(FilterReply.DENY);
    }
    assertThat(attempt(2)).as("another node is another outage").isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void shouldRemindWhileTheOutageLastsAndWarnAgainAfterAQuietSpell() {
    assertThat(attempt(-1)).isEqualTo(FilterReply.NEUTRAL);
    long reminders = 0;
    for (int i = 0; i < 600; i++) {
      now.addAndGet(1000);
      if (attempt(-1) == FilterReply.NEUTRAL) {
        reminders++;
      }
    }
    assertThat(reminders).as("one per 5 minutes over 10 minutes").isEqualTo(2);

    now.addAndGet(ConnectionWarningFilter.QUIET_MS + 1);
    assertThat(attempt(-1)).as("a new outage after a quiet spell").isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void shouldAlsoHoldBackRepeatedDisconnectionsOfTheBootstrapBroker() {
    String disconnected =
        "[Producer clientId=p-1] Bootstrap broker {} (id: {} rack: {} isFenced: {}) disconnected";
    Object[] params = {"localhost:9092", -1, null, false};
    assertThat(filter.decide(null, networkClient, Level.WARN, disconnected, params, null))
        .isEqualTo(FilterReply.NEUTRAL);
    now.addAndGet(1000);
    assertThat(filter.decide(null, networkClient, Level.WARN, disconnected, params, null))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void shouldLeaveOtherMessagesAlone() {
    Logger other = context.getLogger("io.recsys.app.RecsysApp");
    assertThat(filter.decide(null, other, Level.WARN, FORMAT, new Object[] {1}, null))
        .isEqualTo(FilterReply.NEUTRAL);
    for (int i = 0; i < 3; i++) {
      assertThat(
              filter.decide(
                  null, networkClient, Level.WARN, "Something else {}", new Object[] {1}, null))
          .isEqualTo(FilterReply.NEUTRAL);
    }
  }
}
