package io.recsys.app.pipeline.state;

import io.recsys.features.ItemPopularity;
import io.recsys.features.Leaderboard;
import io.recsys.features.PopularitySnapshot;
import io.recsys.schemas.UserEvent;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Item-partitioned popularity: adds each event's weight to the item's time-decayed score (store
 * {@code item-popularity}, owned by Kafka Streams) and keeps this partition's exact top items in
 * memory. A wall-clock punctuator publishes that leaderboard, when it changed, keyed by partition,
 * for every instance's global popularity view.
 */
public final class ItemPopularityProcessor
    implements Processor<String, UserEvent, String, PopularitySnapshot> {
  private static final Logger LOG = LoggerFactory.getLogger(ItemPopularityProcessor.class);
  private final String storeName;
  private final Map<String, Double> eventWeights;
  private final long halfLifeMs;
  private final int leaderboardSize;
  private final Duration publishInterval;
  private ProcessorContext<String, PopularitySnapshot> context;
  private KeyValueStore<String, ItemPopularity> store;
  private Leaderboard leaderboard;

  public ItemPopularityProcessor(
      String storeName,
      Map<String, Double> eventWeights,
      long halfLifeMs,
      int leaderboardSize,
      Duration publishInterval) {
    this.storeName = storeName;
    this.eventWeights = Map.copyOf(eventWeights);
    this.halfLifeMs = halfLifeMs;
    this.leaderboardSize = leaderboardSize;
    this.publishInterval = publishInterval;
  }

  @Override
  public void init(ProcessorContext<String, PopularitySnapshot> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    // init runs after the store is restored, so the board can be rebuilt from it.
    this.leaderboard = new Leaderboard(leaderboardSize);
    try (KeyValueIterator<String, ItemPopularity> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, ItemPopularity> entry = all.next();
        leaderboard.offer(entry.key, entry.value.logScore());
      }
    }
    context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publish);
  }

  @Override
  public void process(Record<String, UserEvent> record) {
    UserEvent event = record.value();
    ItemPopularity before = store.get(event.itemId());
    ItemPopularity after =
        (before == null ? ItemPopularity.NONE : before)
            .plus(eventWeights.get(event.eventType()), event.eventTime(), halfLifeMs);
    store.put(event.itemId(), after);
    leaderboard.offer(event.itemId(), after.logScore());
  }

  private void publish(long now) {
    if (!leaderboard.pollChanged()) {
      return;
    }
    int partition = context.taskId().partition();
    LOG.debug("Publishing the top {} items of partition {}", leaderboard.size(), partition);
    context.forward(
        new Record<>(
            Integer.toString(partition),
            new PopularitySnapshot(partition, now, leaderboard.items()),
            now));
  }
}
