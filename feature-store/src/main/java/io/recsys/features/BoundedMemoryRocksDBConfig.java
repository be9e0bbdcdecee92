package io.recsys.features;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.IndexType;
import org.rocksdb.Options;

/**
 * Puts every RocksDB store of the instance under one {@link RocksDBMemoryBudget} and adds bloom
 * filters, since the pipeline's reads are point lookups (a user's features, "has this user seen
 * this item?") that mostly miss for new keys.
 *
 * <p>Index and filters are partitioned (two-level index, partitioned filters, 4 KB partitions, top
 * levels pinned). Unpartitioned, each SST file has one index and one filter block, and Kafka
 * Streams' universal compaction makes files of tens of MB whose filter blocks are MBs each; once
 * the state outgrows the block cache, those blocks are evicted and re-read whole for single point
 * lookups (a 30-minute soak fell from 1,000 to ~250 events/s, the stream thread busy in {@code
 * RocksDB.get}). Partitioned, a lookup loads one small partition.
 */
public final class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {
  private static final long BLOCK_SIZE_BYTES = 16 * 1024L;
  private static final long METADATA_BLOCK_SIZE_BYTES = 4 * 1024L;
  private static final int MAX_WRITE_BUFFERS = 3;
  private static final double BLOOM_BITS_PER_KEY = 10;

  private BloomFilter filter;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Object budgetValue = configs.get(RocksDBMemoryBudget.CONFIG_KEY);
    if (!(budgetValue instanceof RocksDBMemoryBudget budget)) {
      throw new ConfigException(
          RocksDBMemoryBudget.CONFIG_KEY,
          budgetValue,
          "store " + storeName + ": expected a RocksDBMemoryBudget object in the streams config");
    }
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(budget.cache());
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    table.setBlockSize(BLOCK_SIZE_BYTES);
    table.setIndexType(IndexType.kTwoLevelIndexSearch);
    table.setPartitionFilters(true);
    table.setMetadataBlockSize(METADATA_BLOCK_SIZE_BYTES);
    filter = new BloomFilter(BLOOM_BITS_PER_KEY);
    table.setFilterPolicy(filter);
    options.setWriteBufferManager(budget.writeBufferManager());
    options.setMaxWriteBufferNumber(MAX_WRITE_BUFFERS);
    options.setWriteBufferSize(
        Math.max(
            1 << 20,
            (long) (budget.totalBytes() * RocksDBMemoryBudget.MEMTABLE_SHARE) / MAX_WRITE_BUFFERS));
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and write buffer manager are shared and owned by the budget; the filter is ours.
    if (filter != null) {
      filter.close();
    }
  }
}
