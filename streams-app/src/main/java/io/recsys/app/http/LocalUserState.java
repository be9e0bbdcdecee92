package io.recsys.app.http;

import io.recsys.app.pipeline.RecsysTopology;
import io.recsys.app.pipeline.serving.RecommendProcessor;
import io.recsys.app.pipeline.state.SeenItemKey;
import io.recsys.features.PopularityRanking;
import io.recsys.features.PopularitySnapshot;
import io.recsys.features.UserFeatures;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's state stores through Kafka Streams interactive queries: a user's features
 * and seen items (from the tasks this instance runs) and the merged popularity ranking (from the
 * global store every instance holds). Store handles are looked up lazily and again after a
 * rebalance moved them. Thread-safe; throws {@link InvalidStateStoreException} while the stores are
 * migrating, which callers answer with 503.
 */
final class LocalUserState {
  private final KafkaStreams streams;
  private final long rankingRefreshMs;
  private final LongSupplier clock;
  private volatile ReadOnlyKeyValueStore<String, UserFeatures> features;
  private volatile ReadOnlyKeyValueStore<String, Long> seen;
  private volatile CachedRanking ranking;

  private record CachedRanking(PopularityRanking ranking, long at) {}

  /**
   * @param rankingRefreshMs how long a merged ranking is reused: the snapshots it merges change
   *     only once per publish interval, and merging per request would cost more than the query
   */
  LocalUserState(KafkaStreams streams, long rankingRefreshMs, LongSupplier clock) {
    this.streams = streams;
    this.rankingRefreshMs = rankingRefreshMs;
    this.clock = clock;
  }

  Optional<UserFeatures> features(String userId) {
    try {
      return Optional.ofNullable(featuresStore().get(userId));
    } catch (InvalidStateStoreException e) {
      features = null;
      throw e;
    }
  }

  boolean seen(String userId, String itemId) {
    try {
      return seenStore().get(SeenItemKey.of(userId, itemId)) != null;
    } catch (InvalidStateStoreException e) {
      seen = null;
      throw e;
    }
  }

  PopularityRanking ranking() {
    CachedRanking cached = ranking;
    long now = clock.getAsLong();
    if (cached == null || now - cached.at() >= rankingRefreshMs) {
      ReadOnlyKeyValueStore<String, PopularitySnapshot> store =
          store(RecsysTopology.POPULARITY_STORE);
      cached = new CachedRanking(PopularityRanking.merge(RecommendProcessor.snapshots(store)), now);
      ranking = cached;
    }
    return cached.ranking();
  }

  private ReadOnlyKeyValueStore<String, UserFeatures> featuresStore() {
    ReadOnlyKeyValueStore<String, UserFeatures> store = features;
    if (store == null) {
      store = store(RecsysTopology.USER_FEATURES_STORE);
      features = store;
    }
    return store;
  }

  private ReadOnlyKeyValueStore<String, Long> seenStore() {
    ReadOnlyKeyValueStore<String, Long> store = seen;
    if (store == null) {
      store = store(RecsysTopology.USER_SEEN_STORE);
      seen = store;
    }
    return store;
  }

  private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
    return streams.store(
        StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, V>keyValueStore()));
  }
}
