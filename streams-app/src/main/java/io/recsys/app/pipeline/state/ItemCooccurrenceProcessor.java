package io.recsys.app.pipeline.state;

import io.recsys.app.config.RecsysSettings;
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

/**
 * Item-partitioned co-occurrence. Adds each {@link ItemPairs} record to its item's pair weights
 * (store {@code item-cooccurrence}, one {@link ForwardDecay} log sum per {@link IdPairKey item and
 * neighbour}) and marks the item as changed (store {@code item-cooccurrence-changed}). A wall-clock
 * punctuator reads each changed item's pairs, drops the weakest beyond the configured capacity,
 * publishes the strongest neighbours keyed by item for every instance's global store, and clears
 * the marks.
 *
 * <p>One small entry per pair rather than one value per item: an event updates a handful of pairs,
 * and rewriting (and changelogging) whole rows of hundreds of neighbours on every event cost more
 * than the rest of the pipeline. The marks are a store rather than a set in memory so that an item
 * changed just before a crash is still published by the next owner.
 */
public final class ItemCooccurrenceProcessor
    implements Processor<String, ItemPairs, String, ItemNeighbours> {
  private static final StringSerializer KEYS = new StringSerializer();

  private final String pairsStoreName;
  private final String changedStoreName;
  private final RecsysSettings.Cooccurrence settings;
  private ProcessorContext<String, ItemNeighbours> context;
  private KeyValueStore<String, Double> pairs;
  private KeyValueStore<String, Long> changed;

  public ItemCooccurrenceProcessor(
      String pairsStoreName, String changedStoreName, RecsysSettings.Cooccurrence settings) {
    this.pairsStoreName = pairsStoreName;
    this.changedStoreName = changedStoreName;
    this.settings = settings;
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
