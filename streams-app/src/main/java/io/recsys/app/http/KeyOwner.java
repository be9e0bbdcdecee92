package io.recsys.app.http;

import io.recsys.app.pipeline.RecsysTopology;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where a user's state lives, from the Kafka Streams metadata of the {@code user-features} store:
 * the instance running the active task of the user's partition, and those keeping a standby copy.
 * Thread-safe.
 */
final class KeyOwner {
  /**
   * Where one user's state is.
   *
   * @param active the instance whose copy is current, if one is known (none while rebalancing)
   * @param standbys instances with a standby copy (possibly behind)
   * @param partition the user's partition, or -1 when unknown
   * @param activeHere whether this instance runs the active task
   */
  record Placement(
      Optional<HostInfo> active, Set<HostInfo> standbys, int partition, boolean activeHere) {}

  private static final Serializer<String> KEYS = Serdes.String().serializer();

  private final KafkaStreams streams;
  private final Optional<HostInfo> self;

  /**
   * @param self the address this instance advertises; when empty, this instance assumes it is alone
   *     and answers every query itself (Kafka Streams has no metadata to route by)
   */
  KeyOwner(KafkaStreams streams, Optional<HostInfo> self) {
    this.streams = streams;
    this.self = self;
  }

  Optional<HostInfo> self() {
    return self;
  }

  Placement of(String userId) {
    if (self.isEmpty()) {
      return new Placement(Optional.empty(), Set.of(), -1, true);
    }
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(RecsysTopology.USER_FEATURES_STORE, userId, KEYS);
    if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE) {
      return new Placement(Optional.empty(), Set.of(), -1, false);
    }
    HostInfo active = metadata.activeHost();
    boolean known = active != null && !active.equals(HostInfo.unavailable());
    return new Placement(
        known ? Optional.of(active) : Optional.empty(),
        metadata.standbyHosts() == null ? Set.of() : Set.copyOf(metadata.standbyHosts()),
        metadata.partition(),
        known && active.equals(self.get()));
  }
}
