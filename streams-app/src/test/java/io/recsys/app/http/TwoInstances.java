package io.recsys.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.RecsysApp;
import io.recsys.app.testing.KafkaCluster;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/** What the tests of two instances behind one query API share: their events and their start. */
final class TwoInstances {
  private TwoInstances() {}

  /** A running instance that holds at least one active task. */
  static final Predicate<KafkaStreams> HOLDS_TASKS =
      streams ->
          streams.state() == KafkaStreams.State.RUNNING
              && streams.metadataForLocalThreads().stream()
                  .anyMatch(t -> !t.activeTasks().isEmpty());

  /** A running instance that holds an active task and a standby one. */
  static final Predicate<KafkaStreams> HOLDS_TASKS_AND_STANDBYS =
      streams ->
          streams.state() == KafkaStreams.State.RUNNING
              && streams.metadataForLocalThreads().stream()
                  .anyMatch(t -> !t.activeTasks().isEmpty() && !t.standbyTasks().isEmpty());

  /** Writes {@code steps} view events of each of {@code users} users (user-N) to {@code topic}. */
  static void produceViews(KafkaCluster kafka, String topic, int users, int steps, int items) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
      for (int step = 0; step < steps; step++) {
        for (int user = 0; user < users; user++) {
          String json =
              "{\"userId\":\"user-%d\",\"itemId\":\"item-%d\",\"eventType\":\"view\",\"eventTime\":%d}"
                  .formatted(user, (user + step) % items, 1_700_000_000_000L + step * 1000L + user);
          producer.send(new ProducerRecord<>(topic, "user-" + user, json));
        }
      }
    }
  }

  /** Waits until both instances are {@code ready}, failing after {@code wait}. */
  static void await(Predicate<KafkaStreams> ready, Duration wait, RecsysApp a, RecsysApp b)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!(ready.test(a.streams()) && ready.test(b.streams()))) {
      assertThat(System.nanoTime()).as("both instances own tasks in time").isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
