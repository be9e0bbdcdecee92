package io.recsys.app.pipeline.state;

import io.recsys.features.UserFeatures;
import io.recsys.schemas.UserDeletion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The features step of a deletion: removes the user from {@code user-features} and {@code
 * user-seen-items} (each delete is a tombstone on the store's changelog), marks the end of the
 * user's training examples with a tombstone on {@code training-examples} (so the trainer drops the
 * user's carried state after the examples before it), and hands the request to serving as a {@link
 * UserErasure}.
 *
 * <p>Runs in the task that processes the user's events, so the events before the deletion have been
 * applied and the ones after it start a new history. Deleting a user the stores do not hold removes
 * nothing and is still passed on (and so still confirmed).
 */
public final class UserErasureProcessor implements Processor<String, UserDeletion, String, Object> {
  private static final StringSerializer KEYS = new StringSerializer();

  private final String featuresStoreName;
  private final String seenStoreName;
  private final String servingChild;
  private final String trainingExamplesChild;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, UserFeatures> features;
  private KeyValueStore<String, Long> seen;

  public UserErasureProcessor(
      String featuresStoreName,
      String seenStoreName,
      String servingChild,
      String trainingExamplesChild) {
    this.featuresStoreName = featuresStoreName;
    this.seenStoreName = seenStoreName;
    this.servingChild = servingChild;
    this.trainingExamplesChild = trainingExamplesChild;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.features = context.getStateStore(featuresStoreName);
    this.seen = context.getStateStore(seenStoreName);
  }

  @Override
  public void process(Record<String, UserDeletion> record) {
    String userId = record.key();
    Map<String, Long> removed = new LinkedHashMap<>();
    removed.put(featuresStoreName, features.delete(userId) == null ? 0L : 1L);
    removed.put(seenStoreName, deleteSeenItems(userId));
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        UserDeletion.REQUEST_HEADER, record.value().requestId().getBytes(StandardCharsets.UTF_8));
    context.forward(
        new Record<String, Object>(userId, null, record.timestamp(), headers),
        trainingExamplesChild);
    removed.put("training-examples-tombstones", 1L);
    context.forward(
        new Record<String, Object>(
            userId, new UserErasure(userId, record.value(), removed), record.timestamp()),
        servingChild);
  }

  private long deleteSeenItems(String userId) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, Long> items = seen.prefixScan(IdPairKey.of(userId, ""), KEYS)) {
      items.forEachRemaining(entry -> keys.add(entry.key));
    }
    keys.forEach(seen::delete);
    return keys.size();
  }
}
