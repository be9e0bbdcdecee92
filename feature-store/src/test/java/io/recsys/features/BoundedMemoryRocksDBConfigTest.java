package io.recsys.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/** The store options under a shared memory budget, on a real RocksDB. */
class BoundedMemoryRocksDBConfigTest {
  @TempDir Path dir;

  private static byte[] key(int i) {
    return ("item-%07d".formatted(i)).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldPartitionIndexAndFiltersAndStillFindEveryKeyAfterFlushAndCompaction()
      throws Exception {
    RocksDB.loadLibrary();
    BoundedMemoryRocksDBConfig setter = new BoundedMemoryRocksDBConfig();
    try (RocksDBMemoryBudget budget = new RocksDBMemoryBudget(8L << 20);
        Options options = new Options().setCreateIfMissing(true)) {
      // Kafka Streams hands the setter options that already carry a table config.
      options.setTableFormatConfig(new BlockBasedTableConfig());
      Map<String, Object> configs = new HashMap<>();
      configs.put(RocksDBMemoryBudget.CONFIG_KEY, budget);
      setter.setConfig("pairs", options, configs);

      BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
      assertThat(table.indexType()).isEqualTo(IndexType.kTwoLevelIndexSearch);
      assertThat(table.partitionFilters()).isTrue();
      assertThat(table.cacheIndexAndFilterBlocks()).isTrue();

      int keys = 60_000;
      try (RocksDB db = RocksDB.open(options, dir.toString());
          FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        for (int i = 0; i < keys; i += 2) {
          db.put(key(i), key(i));
        }
        db.flush(flush);
        for (int i = 1; i < keys; i += 4) {
          db.put(key(i), key(i));
        }
        db.flush(flush);
        db.compactRange();

        int found = 0;
        for (int i = 0; i < keys; i++) {
          byte[] value = db.get(key(i));
          boolean written = i % 2 == 0 || i % 4 == 1;
          assertThat(value != null).as("key %d", i).isEqualTo(written);
          if (value != null) {
            assertThat(value).isEqualTo(key(i));
            found++;
          }
        }
        assertThat(found).isEqualTo(keys / 2 + keys / 4);
        assertThat(budget.usedBytes()).isPositive().isLessThanOrEqualTo(8L << 20);
      }
    } finally {
      setter.close("pairs", null);
    }
  }

  @Test
  void shouldRefuseAStreamsConfigWithoutTheBudget() {
    try (Options options = new Options()) {
      assertThatThrownBy(
              () -> new BoundedMemoryRocksDBConfig().setConfig("pairs", options, Map.of()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("store pairs");
    }
  }
}
