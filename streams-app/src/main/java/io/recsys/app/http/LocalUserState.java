package io.recsys.app.http;

import io.recsys.app.pipeline.RecsysTopology;
import io.recsys.app.pipeline.serving.RecommendProcessor;
import io.recsys.app.pipeline.state.IdPairKey;
import io.recsys.features.ItemNeighbours;
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
 * and seen items, from the tasks this instance runs ({@link #active()}) or from any copy it holds
 * of one partition, standby included ({@link #replica(int)}), and the merged popularity ranking
 * (from the global store every instance holds). Thread-safe; reads throw {@link
 * InvalidStateStoreException} while the stores are migrating or where this instance holds no copy.
 */
final class LocalUserState {
  private final KafkaStreams streams;
  private final long rankingRefreshMs;
  private final LongSupplier clock;
  private volatile UserStores active;
  private volatile ReadOnlyKeyValueStore<String, ItemNeighbours> neighbours;
  private volatile CachedRanking ranking;

  private record CachedRanking(PopularityRanking ranking, long at) {}

  /** One copy of the user stores. */
  record UserStores(
      ReadOnlyKeyValueStore<String, UserFeatures> featureStore,
      ReadOnlyKeyValueStore<String, Long> seenStore) {
    Optional<UserFeatures> features(String userId) {
      return Optional.ofNullable(featureStore.get(userId));
    }

    boolean seen(String userId, String itemId) {
      return seenStore.get(IdPairKey.of(userId, itemId)) != null;
    }
  }

  /**
   * @param rankingRefreshMs how long a merged ranking is reused: the snapshots it merges change
   *     only once per publish interval, and merging per request would cost more than the query
   */
  LocalUserState(KafkaStreams streams, long rankingRefreshMs, LongSupplier clock) {
    this.streams = streams;
    this.rankingRefreshMs = rankingRefreshMs;
    this.clock = clock;
  }

  /**
   * The stores of the tasks this instance runs, current as of the last processed event; handles are
   * kept until {@link #forgetActive()} (after a read failed because a rebalance moved them).
   */
  UserStores active() {
    UserStores stores = active;
    if (stores == null) {
      stores =
          new UserStores(
              store(
                  StoreQueryParameters.fromNameAndType(
                      RecsysTopology.USER_FEATURES_STORE, QueryableStoreTypes.keyValueStore())),
              store(
                  StoreQueryParameters.fromNameAndType(
                      RecsysTopology.USER_SEEN_STORE, QueryableStoreTypes.keyValueStore())));
      active = stores;
    }
    return stores;
  }

  void forgetActive() {
    active = null;
  }

  /**
   * Whatever copy of {@code partition} this instance holds: the active task's, one being restored,
   * or a standby's (which may be behind the active one).
   *
   * @throws InvalidStateStoreException where this instance holds no copy of the partition
   */
  UserStores replica(int partition) {
    return new UserStores(
        store(
            StoreQueryParameters.<ReadOnlyKeyValueStore<String, UserFeatures>>fromNameAndType(
                    RecsysTopology.USER_FEATURES_STORE, QueryableStoreTypes.keyValueStore())
                .withPartition(partition)
                .enableStaleStores()),
        store(
            StoreQueryParameters.<ReadOnlyKeyValueStore<String, Long>>fromNameAndType(
                    RecsysTopology.USER_SEEN_STORE, QueryableStoreTypes.keyValueStore())
                .withPartition(partition)
                .enableStaleStores()));
  }

  /** An item's published co-occurrence neighbours in the global store, or null for none. */
  ItemNeighbours neighbours(String itemId) {
    ReadOnlyKeyValueStore<String, ItemNeighbours> store = neighbours;
    if (store == null) {
      store =
          store(
              StoreQueryParameters.fromNameAndType(
                  RecsysTopology.ITEM_NEIGHBOURS_STORE, QueryableStoreTypes.keyValueStore()));
      neighbours = store;
    }
    return store.get(itemId);
  }

  PopularityRanking ranking() {
    CachedRanking cached = ranking;
    long now = clock.getAsLong();
    if (cached == null || now - cached.at() >= rankingRefreshMs) {
      ReadOnlyKeyValueStore<String, PopularitySnapshot> store =
          store(
              StoreQueryParameters.fromNameAndType(
                  RecsysTopology.POPULARITY_STORE, QueryableStoreTypes.keyValueStore()));
      cached = new CachedRanking(PopularityRanking.merge(RecommendProcessor.snapshots(store)), now);
      ranking = cached;
    }
    return cached.ranking();
  }

  private <T> T store(StoreQueryParameters<T> parameters) {
    return streams.store(parameters);
  }
}
