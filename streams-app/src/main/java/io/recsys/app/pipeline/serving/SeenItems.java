package io.recsys.app.pipeline.serving;

import io.recsys.app.pipeline.state.IdPairKey;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A stream task's in-memory copy of its recently active users' seen items, read through from the
 * {@code user-seen-items} store.
 *
 * <p>Why: every published list filters seen items out of two candidate lists (the model's and
 * popularity's), and a heavy user has seen most of the popular items, so one event asked RocksDB
 * tens of point lookups that nearly all miss the memtable (a third of the stream thread's CPU in a
 * profile of the demo). Here a user's items are read once, with one prefix scan, and kept up to
 * date from the events the task forwards to serving, which are the only writes to that store (made
 * by the features step of the same task, before serving sees the event).
 *
 * <p>Bounded by the number of items held, least recently used users evicted first; an evicted user
 * is simply read again. A new processor instance (rebalance, a task revived after a rolled back
 * transaction) starts empty, so it never outlives the store it copies. Not thread-safe: one per
 * task.
 */
final class SeenItems {
  private static final StringSerializer KEYS = new StringSerializer();

  private final ReadOnlyKeyValueStore<String, Long> store;
  private final long maxItems;
  private final LinkedHashMap<String, Set<String>> users = new LinkedHashMap<>(256, 0.75f, true);
  private long items;
  private long loads;

  /**
   * @param store the task's {@code user-seen-items} store (key {@link IdPairKey})
   * @param maxItems most items held across users; a user with more than this is read again on each
   *     use rather than held
   */
  SeenItems(ReadOnlyKeyValueStore<String, Long> store, long maxItems) {
    if (maxItems < 1) {
      throw new IllegalArgumentException("maxItems: must be >= 1, got " + maxItems);
    }
    this.store = store;
    this.maxItems = maxItems;
  }

  /** The items {@code userId} has interacted with, as the store holds them now. */
  Set<String> of(String userId) {
    Set<String> held = users.get(userId);
    if (held != null) {
      return held;
    }
    Set<String> read = read(userId);
    loads++;
    if (read.size() <= maxItems) {
      users.put(userId, read);
      items += read.size();
      evict();
    }
    return read;
  }

  /**
   * Records that the store now holds {@code itemId} for {@code userId}; call for every event
   * written to the store since the user was read.
   */
  void add(String userId, String itemId) {
    Set<String> held = users.get(userId);
    if (held != null && held.add(itemId)) {
      items++;
      evict();
    }
  }

  /** Drops the copy of {@code userId}'s items (the user was erased from the store). */
  void forget(String userId) {
    Set<String> held = users.remove(userId);
    if (held != null) {
      items -= held.size();
    }
  }

  /** Users read from the store so far (a miss of this copy). */
  long loads() {
    return loads;
  }

  /** Items held now. */
  long size() {
    return items;
  }

  private Set<String> read(String userId) {
    String prefix = IdPairKey.of(userId, "");
    Set<String> seen = new HashSet<>();
    try (KeyValueIterator<String, Long> all = store.prefixScan(prefix, KEYS)) {
      while (all.hasNext()) {
        seen.add(all.next().key.substring(prefix.length()));
      }
    }
    return seen;
  }

  private void evict() {
    Iterator<Map.Entry<String, Set<String>>> eldest = users.entrySet().iterator();
    while (items > maxItems && eldest.hasNext()) {
      items -= eldest.next().getValue().size();
      eldest.remove();
    }
  }
}
