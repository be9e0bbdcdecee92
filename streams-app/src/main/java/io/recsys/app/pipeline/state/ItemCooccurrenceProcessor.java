package io.recsys.app.pipeline.state;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.features.ForwardDecay;
import io.recsys.features.ItemNeighbours;
import io.recsys.features.ItemPairs;
import io.recsys.features.ItemScore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * Item-partitioned co-occurrence. Adds each {@link ItemPairs} record to its item's pair weights
 * (store {@code item-cooccurrence}, one {@link ForwardDecay} log sum per {@link IdPairKey item and
 * neighbour}) and marks the item as changed (store {@code item-cooccurrence-changed}). A wall-clock
 * punctuator reads each changed item's pairs, drops the weakest beyond the configured capacity,
 * publishes the strongest neighbours keyed by item for every instance's global store, and clears
 * the marks.
 *
 * <p>With an item expiry, each item's latest update in event time is kept too (store {@code
 * item-cooccurrence-seen}, rewritten at most every sixteenth of the expiry, so it costs one read
 * per record and rarely a write), and a sweep every minute drops the pairs of items not updated for
 * the expiry and publishes a tombstone for their neighbours. Without it the pairs store grows with
 * every item ever seen, and so do its files and the share of its reads that miss the block cache.
 *
 * <p>One small entry per pair rather than one value per item: an event updates a handful of pairs,
 * and rewriting (and changelogging) whole rows of hundreds of neighbours on every event cost more
 * than the rest of the pipeline. The marks are a store rather than a set in memory so that an item
 * changed just before a crash is still published by the next owner.
 */
public final class ItemCooccurrenceProcessor
    implements Processor<String, ItemPairs, String, ItemNeighbours> {
  private static final Logger LOG = LoggerFactory.getLogger(ItemCooccurrenceProcessor.class);
  private static final StringSerializer KEYS = new StringSerializer();
  private static final Duration EXPIRY_SWEEP_INTERVAL = Duration.ofMinutes(1);

  private final String pairsStoreName;
  private final String changedStoreName;
  private final String seenStoreName;
  private final RecsysSettings.Cooccurrence settings;
  private final PipelineMetrics metrics;
  private final long seenGranularityMs;
  private ProcessorContext<String, ItemNeighbours> context;
  private KeyValueStore<String, Double> pairs;
  private KeyValueStore<String, Long> changed;
  private KeyValueStore<String, Long> seen;
  private long latestEventTime = Long.MIN_VALUE;

  /**
   * @param seenStoreName store of each item's latest update, used only with an item expiry
   */
  public ItemCooccurrenceProcessor(
      String pairsStoreName,
      String changedStoreName,
      String seenStoreName,
      RecsysSettings.Cooccurrence settings,
      PipelineMetrics metrics) {
    this.pairsStoreName = pairsStoreName;
    this.changedStoreName = changedStoreName;
    this.seenStoreName = seenStoreName;
    this.settings = settings;
    this.metrics = metrics;
    this.seenGranularityMs = Math.max(1, settings.itemExpiryMs() / 16);
  }

  @Override
  public void init(ProcessorContext<String, ItemNeighbours> context) {
    this.context = context;
    this.pairs = context.getStateStore(pairsStoreName);
    this.changed = context.getStateStore(changedStoreName);
    context.schedule(
        Duration.ofMillis(settings.publishIntervalMs()),
        PunctuationType.WALL_CLOCK_TIME,
        this::publish);
    if (settings.itemExpiryMs() > 0) {
      this.seen = context.getStateStore(seenStoreName);
      context.schedule(EXPIRY_SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }
  }

  @Override
  public void process(Record<String, ItemPairs> record) {
    String item = record.key();
    ItemPairs update = record.value();
    for (Map.Entry<String, Double> pair : update.neighbours().entrySet()) {
      if (!(pair.getValue() > 0)) {
        continue;
      }
      String key = IdPairKey.of(item, pair.getKey());
      Double before = pairs.get(key);
      pairs.put(
          key,
          ForwardDecay.add(
              before == null ? ForwardDecay.EMPTY : before,
              pair.getValue(),
              update.eventTime(),
              settings.halfLifeMs()));
    }
    // One mark per item until it is published: each put is also a changelog record.
    if (changed.get(item) == null) {
      changed.put(item, update.eventTime());
    }
    if (seen != null) {
      markSeen(item, update.eventTime());
    }
  }

  /** Records the item's update, coarsely: a write only once the time moved a granule on. */
  private void markSeen(String item, long eventTime) {
    latestEventTime = Math.max(latestEventTime, eventTime);
    Long before = seen.get(item);
    if (before == null || eventTime - before >= seenGranularityMs) {
      seen.put(item, before == null ? eventTime : Math.max(before, eventTime));
    }
  }

  /**
   * Drops the pairs of items not updated for the expiry (plus a granule, since the marks are that
   * coarse) before the latest event this task saw, and tombstones their published neighbours.
   */
  private void expire(long now) {
    if (latestEventTime == Long.MIN_VALUE) {
      return;
    }
    long cutoff = latestEventTime - settings.itemExpiryMs() - seenGranularityMs;
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = seen.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        if (entry.value < cutoff) {
          expired.add(entry.key);
        }
      }
    }
    for (String item : expired) {
      List<String> row = new ArrayList<>();
      try (KeyValueIterator<String, Double> pairsOf =
          pairs.prefixScan(IdPairKey.of(item, ""), KEYS)) {
        pairsOf.forEachRemaining(pair -> row.add(pair.key));
      }
      row.forEach(pairs::delete);
      seen.delete(item);
      changed.delete(item);
      context.forward(new Record<>(item, null, now));
    }
    if (!expired.isEmpty()) {
      metrics.cooccurrenceItemsExpired(expired.size());
      LOG.info(
          "Task {}: dropped the co-occurrence pairs of {} items unchanged for {} ms of event time",
          context.taskId(),
          expired.size(),
          settings.itemExpiryMs());
    }
  }

  private void publish(long now) {
    List<String> published = new ArrayList<>();
    try (KeyValueIterator<String, Long> all = changed.all()) {
      while (all.hasNext()) {
        KeyValue<String, Long> entry = all.next();
        List<ItemScore> neighbours = strongest(entry.key);
        context.forward(
            new Record<>(entry.key, new ItemNeighbours(entry.key, now, neighbours), now));
        published.add(entry.key);
      }
    }
    published.forEach(changed::delete);
  }

  /** The item's strongest published neighbours, after dropping its pairs beyond the capacity. */
  private List<ItemScore> strongest(String item) {
    List<ItemScore> all = new ArrayList<>();
    try (KeyValueIterator<String, Double> row = pairs.prefixScan(IdPairKey.of(item, ""), KEYS)) {
      while (row.hasNext()) {
        KeyValue<String, Double> pair = row.next();
        all.add(new ItemScore(IdPairKey.second(pair.key), pair.value));
      }
    }
    all.sort(ItemScore.BEST_FIRST);
    for (int i = settings.capacity(); i < all.size(); i++) {
      pairs.delete(IdPairKey.of(item, all.get(i).itemId()));
    }
    return List.copyOf(all.subList(0, Math.min(settings.neighbours(), all.size())));
  }
}
