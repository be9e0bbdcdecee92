package io.recsys.app.http;

import io.javalin.http.sse.SseClient;
import io.recsys.app.kafka.Consumers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code metrics} topic and pushes every record, as its JSON text, to the dashboard's
 * server-sent-event clients. A new client first gets the last {@code history} records so that its
 * charts do not start empty. Reads without a consumer group (nothing to commit: the dashboard only
 * wants what is new). Its consumer runs on its own thread.
 */
final class MetricsFeed implements AutoCloseable {
  static final String EVENT = "metrics";
  private static final Logger LOG = LoggerFactory.getLogger(MetricsFeed.class);
  private static final Duration POLL = Duration.ofMillis(250);

  private final String topic;
  private final int history;
  private final KafkaConsumer<String, String> consumer;
  private final ArrayDeque<String> recent = new ArrayDeque<>();
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * @param clientConfig connection settings (bootstrap servers, security); other keys ignored
   */
  MetricsFeed(Map<String, Object> clientConfig, String topic, int history) {
    this.topic = topic;
    this.history = history;
    Map<String, Object> config = Consumers.standaloneConfig(clientConfig);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "recsys-dashboard-feed");
    this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    this.thread = new Thread(this::run, "recsys-dashboard-feed");
    thread.setDaemon(true);
    thread.start();
  }

  /** Sends the recent records to {@code client}, then every new one until it disconnects. */
  void subscribe(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    List<String> backlog;
    synchronized (recent) {
      backlog = new ArrayList<>(recent);
      // Added under the same lock as new records are, so that none is missed or sent twice.
      clients.add(client);
    }
    backlog.forEach(json -> send(client, json));
  }

  int clients() {
    return clients.size();
  }

  private void run() {
    try {
      List<TopicPartition> partitions = awaitPartitions();
      if (partitions.isEmpty()) {
        return;
      }
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - history));
      }
      while (running) {
        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
          if (record.value() != null) {
            publish(record.value());
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      LOG.warn("Dashboard metrics feed stopped: cannot read topic {}", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(1));
    }
  }

  private List<TopicPartition> awaitPartitions() throws WakeupException {
    // The topic is created by the app at start; wait for it rather than fail the dashboard.
    while (running) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        return partitions;
      }
    }
    return List.of();
  }

  private void publish(String json) {
    synchronized (recent) {
      recent.addLast(json);
      while (recent.size() > history) {
        recent.removeFirst();
      }
      for (SseClient client : clients) {
        send(client, json);
      }
    }
  }

  private void send(SseClient client, String json) {
    if (client.terminated()) {
      clients.remove(client);
      return;
    }
    try {
      client.sendEvent(EVENT, json);
    } catch (RuntimeException e) {
      // The browser went away between the check and the write.
      clients.remove(client);
      LOG.debug("Dropped a dashboard event stream", e);
    }
  }

  /**
   * Stops the consumer thread (waits for it), then ends the clients' event streams. Must run while
   * the HTTP server is still up: a stream's response no longer exists once Jetty stopped.
   */
  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
    for (SseClient client : clients) {
      try {
        client.close();
      } catch (RuntimeException e) {
        LOG.debug("Dashboard event stream already gone", e);
      }
    }
    clients.clear();
  }
}
