package io.recsys.app.http;

import io.recsys.app.pipeline.RecsysTopology;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance owns a user's state, from the Kafka Streams metadata: the active task of the
 * user's partition of the {@code user-features} store. Thread-safe.
 */
final class KeyOwner {
  /** Where to answer a query for one user. */
  sealed interface Answer permits Local, Remote, Unavailable {}

  /** This instance owns the user. */
  record Local() implements Answer {}

  /** Another instance owns the user: forward to it. */
  record Remote(HostInfo host) implements Answer {}

  /** No instance owns the user right now (rebalancing, or not yet started). */
  record Unavailable() implements Answer {}

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

  Answer of(String userId) {
    if (self.isEmpty()) {
      return new Local();
    }
    KeyQueryMetadata metadata =
        streams.queryMetadataForKey(RecsysTopology.USER_FEATURES_STORE, userId, KEYS);
    if (metadata == null
        || metadata == KeyQueryMetadata.NOT_AVAILABLE
        || metadata.activeHost() == null
        || metadata.activeHost().equals(HostInfo.unavailable())) {
      return new Unavailable();
    }
    return metadata.activeHost().equals(self.get())
        ? new Local()
        : new Remote(metadata.activeHost());
  }
}
