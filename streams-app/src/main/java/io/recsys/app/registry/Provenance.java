package io.recsys.app.registry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a registered model came from: enough to rebuild it from the same records with the same
 * settings.
 *
 * @param source what it was trained from, such as {@code kafka:events} or {@code
 *     kafka:training-examples}
 * @param fromTimestamp first record timestamp included (epoch ms), or null for the topic's
 *     beginning
 * @param toTimestamp first record timestamp excluded (epoch ms), or null for "up to the end offsets
 *     at the start of the run"
 * @param offsets per partition, the offsets read: {@code from} inclusive, {@code to} exclusive
 * @param records records read from the source
 * @param hyperparameters the model configuration and training settings, as written to JSON
 * @param seed the random seed; the run is reproducible from it and the above
 * @param codeVersion the recsys version that trained it
 * @param createdAt wall-clock time of registration, epoch ms
 */
public record Provenance(
    String source,
    Long fromTimestamp,
    Long toTimestamp,
    List<PartitionRange> offsets,
    long records,
    Map<String, Object> hyperparameters,
    long seed,
    String codeVersion,
    long createdAt) {

  public Provenance {
    offsets = List.copyOf(offsets);
    hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
  }

  /** The offsets read from one partition: {@code from} inclusive, {@code to} exclusive. */
  public record PartitionRange(String topic, int partition, long from, long to) {}
}
