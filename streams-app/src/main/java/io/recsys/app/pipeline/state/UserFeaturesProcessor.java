package io.recsys.app.pipeline.state;

import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.features.ItemPairs;
import io.recsys.features.UserFeatures;
import io.recsys.model.strategy.CooccurrenceWeights;
import io.recsys.schemas.TrainingExampleRecord;
import io.recsys.schemas.UserEvent;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each user's features and the set of items the user has interacted with, then passes the
 * event on: to serving (key = user id, value = {@link UserActivity}), to the item-keyed popularity
 * branch (key = item id, value = the event) and, when the event moved the user to a new item, to
 * the training examples (key = user id): the items before it and the item it went to; and, when
 * co-occurrence is on, to the item-keyed co-occurrence branch ({@link ItemPairs}, one record per
 * item whose neighbours the move updates).
 *
 * <p>Writes the stores {@code user-features} and {@code user-seen-items}, both owned by Kafka
 * Streams (looked up in {@link #init}, never closed here).
 */
public final class UserFeaturesProcessor implements Processor<String, UserEvent, String, Object> {
  private final String featuresStoreName;
  private final String seenStoreName;
  private final int recentItems;
  private final String servingChild;
  private final String itemEventsChild;
  private final String trainingExamplesChild;
  private final Map<String, Double> eventWeights;
  private final PipelineMetrics metrics;
  private final CooccurrenceWeights pairWeights;
  private final String itemPairsChild;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, UserFeatures> features;
  private KeyValueStore<String, Long> seen;

  public UserFeaturesProcessor(
      String featuresStoreName,
      String seenStoreName,
      int recentItems,
      String servingChild,
      String itemEventsChild,
      String trainingExamplesChild,
      Map<String, Double> eventWeights,
      PipelineMetrics metrics,
      CooccurrenceWeights pairWeights,
      String itemPairsChild) {
    this.metrics = metrics;
    this.pairWeights = pairWeights;
    this.itemPairsChild = itemPairsChild;
    this.featuresStoreName = featuresStoreName;
    this.seenStoreName = seenStoreName;
    this.recentItems = recentItems;
    this.servingChild = servingChild;
    this.itemEventsChild = itemEventsChild;
    this.trainingExamplesChild = trainingExamplesChild;
    this.eventWeights = Map.copyOf(eventWeights);
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.features = context.getStateStore(featuresStoreName);
    this.seen = context.getStateStore(seenStoreName);
  }

  @Override
  public void process(Record<String, UserEvent> record) {
    UserEvent event = record.value();
    UserFeatures before = features.get(event.userId());
    if (before == null) {
      before = UserFeatures.EMPTY;
    }
    UserFeatures after = before.withEvent(event, recentItems);
    features.put(event.userId(), after);
    String seenKey = IdPairKey.of(event.userId(), event.itemId());
    boolean firstTouch = seen.get(seenKey) == null;
    seen.put(seenKey, event.eventTime());
    context.forward(
        record.withValue(new UserActivity(event, before, after, firstTouch)), servingChild);
    context.forward(record.withKey(event.itemId()).withValue(event), itemEventsChild);
    List<String> history = before.recentItems();
    if (before.movesTo(event.itemId())) {
      if (itemPairsChild != null) {
        double weight = eventWeights.get(event.eventType());
        pairWeights
            .pairs(history, event.itemId(), weight)
            .forEach(
                (item, neighbours) ->
                    context.forward(
                        record
                            .withKey(item)
                            .withValue(new ItemPairs(event.eventTime(), neighbours)),
                        itemPairsChild));
      }
      context.forward(
          record.withValue(
              new TrainingExampleRecord(
                  TrainingExampleRecord.SCHEMA_VERSION,
                  event.userId(),
                  history,
                  event.itemId(),
                  eventWeights.get(event.eventType()),
                  event.eventTime())),
          trainingExamplesChild);
      metrics.trainingExampleEmitted();
    }
  }
}
