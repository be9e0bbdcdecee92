package io.recsys.features;

import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * One bound on the off-heap memory of every RocksDB store of a Kafka Streams instance: a block
 * cache shared by all stores, with memtables charged against the same cache.
 *
 * <p>Kafka Streams instantiates {@link BoundedMemoryRocksDBConfig} once per store by reflection, so
 * the shared objects cannot be constructor arguments. Instead the owner puts this budget into the
 * streams configuration under {@link #CONFIG_KEY} (Kafka Streams hands the original config objects
 * to every config setter) and closes it after the {@code KafkaStreams} instance is closed.
 */
public final class RocksDBMemoryBudget implements AutoCloseable {
  /** Streams config key under which the app passes this object to the config setter. */
  public static final String CONFIG_KEY = "recsys.internal.rocksdb.memory.budget";

  /** Share of the budget that memtables may use; the rest is block cache. */
  static final double MEMTABLE_SHARE = 0.25;

  /** Share of the cache reserved for index and filter blocks, so data blocks cannot evict them. */
  static final double HIGH_PRIORITY_SHARE = 0.1;

  private final long totalBytes;
  private final Cache cache;
  private final WriteBufferManager writeBufferManager;

  public RocksDBMemoryBudget(long totalBytes) {
    if (totalBytes < 1 << 20) {
      throw new IllegalArgumentException("totalBytes: must be at least 1 MiB, got " + totalBytes);
    }
    RocksDB.loadLibrary();
    this.totalBytes = totalBytes;
    this.cache = new LRUCache(totalBytes, -1, false, HIGH_PRIORITY_SHARE);
    this.writeBufferManager = new WriteBufferManager((long) (totalBytes * MEMTABLE_SHARE), cache);
  }

  public long totalBytes() {
    return totalBytes;
  }

  /** What the stores hold in the budget now: block cache and memtables, which are charged to it. */
  public long usedBytes() {
    return cache.getUsage();
  }

  Cache cache() {
    return cache;
  }

  WriteBufferManager writeBufferManager() {
    return writeBufferManager;
  }

  /** Call only after every store using this budget is closed. */
  @Override
  public void close() {
    writeBufferManager.close();
    cache.close();
  }
}
