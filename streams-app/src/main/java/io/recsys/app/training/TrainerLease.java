package io.recsys.app.training;

import io.recsys.app.kafka.ClientConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which of a deployment's trainers trains: the one whose consumer owns the single partition
 * of the lease topic in the group {@code <application.id>-trainer-lease}. Kafka's group protocol
 * does the rest: a trainer that dies stops heartbeating and its lease moves to a standby after the
 * session timeout; one that closes leaves the group and its lease moves at once. The sticky
 * assignor keeps the lease where it is when a standby joins.
 *
 * <p>The holder runs a {@link Trainer}, started from the checkpoint when the lease is acquired and
 * closed (with a final checkpoint) when this closes, or abandoned (no checkpoint: the new holder
 * may be reading it) when the lease is lost. A trainer that fails gives the lease up for {@link
 * #RETRY_AFTER} so that a standby can train meanwhile.
 */
public final class TrainerLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerLease.class);
  private static final Duration POLL = Duration.ofMillis(200);
  static final Duration RETRY_AFTER = Duration.ofSeconds(10);

  /** Starts the trainer of a new lease, from the newest checkpoint. */
  @FunctionalInterface
  public interface TrainerFactory {
    Trainer start() throws IOException;
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final TrainerFactory factory;
  private final Thread thread;
  private volatile Trainer trainer;
  private volatile boolean closed;
  private boolean held;
  private long resubscribeAt;

  /**
   * @param group the lease group's id
   * @param timeoutMs the session timeout: how long a silent holder keeps the lease
   */
  public TrainerLease(
      Map<String, ?> clientConfig,
      String topic,
      String group,
      int timeoutMs,
      TrainerFactory factory) {
    Map<String, Object> config = ClientConfigs.subset(clientConfig, ConsumerConfig.configNames());
    config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    // The classic protocol, whose session timeout the client sets, with a sticky assignment.
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    config.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, timeoutMs);
    config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, timeoutMs / 4));
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "recsys-trainer-lease");
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.factory = factory;
    consumer.subscribe(List.of(topic), new Listener());
    this.thread = new Thread(this::run, "recsys-trainer-lease");
    thread.setDaemon(true);
    thread.start();
  }

  /** The trainer of this process while it holds the lease. */
  public Optional<Trainer> trainer() {
    return Optional.ofNullable(trainer);
  }

  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        // Nothing is ever read from the lease topic.
        consumer.pause(partitions);
        held = true;
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        held = false;
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        held = false;
      }
    }
  }

  private void run() {
    try {
      while (!closed) {
        if (resubscribeAt != 0) {
          if (System.nanoTime() < resubscribeAt) {
            Thread.sleep(POLL.toMillis());
            continue;
          }
          resubscribeAt = 0;
          consumer.subscribe(List.of(topic), new Listener());
        }
        consumer.poll(POLL);
        if (held && trainer == null) {
          acquire();
        } else if (!held && trainer != null) {
          LOG.warn("Trainer lease lost (this process was silent too long): standing by");
          release(false);
        } else if (trainer != null && trainer.failure() != null) {
          LOG.warn("Trainer failed: handing the lease to a standby for {}", RETRY_AFTER);
          release(false);
          giveUp();
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("Trainer lease failed; this process stops training", e);
    }
  }

  /** Leaves the group for {@link #RETRY_AFTER}, so that the lease moves to a standby. */
  private void giveUp() {
    consumer.unsubscribe();
    held = false;
    resubscribeAt = System.nanoTime() + RETRY_AFTER.toNanos();
  }

  private void acquire() {
    long start = System.nanoTime();
    try {
      trainer = factory.start();
      LOG.info(
          "Trainer lease acquired: training from the checkpoint ({} ms to start)",
          (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot start the trainer; handing the lease to a standby for " + RETRY_AFTER, e);
      giveUp();
    }
  }

  private void release(boolean checkpoint) {
    Trainer stopping = trainer;
    trainer = null;
    if (checkpoint) {
      stopping.close();
    } else {
      stopping.abandon();
    }
  }

  /**
   * Stops training with a final checkpoint, then leaves the group so that a standby takes over at
   * once from that checkpoint.
   */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(120_000);
    try {
      if (trainer != null) {
        release(true);
      }
    } finally {
      consumer.close();
    }
  }
}
