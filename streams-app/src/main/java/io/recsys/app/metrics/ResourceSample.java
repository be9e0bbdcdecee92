package io.recsys.app.metrics;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * What a long run watches for leaks: heap still in use after the last garbage collection, RocksDB
 * memory, open files, and the latency p99 of the last ~30 s.
 *
 * @param seconds since the run started
 * @param heapAfterGcBytes heap in use right after each pool's last collection (summed over heap
 *     pools): what survives, not what awaits collection
 * @param rocksDbBytes block cache and memtables of the instance's stores
 * @param stateFileBytes SST files of the instance's stores on disk: the state itself, of which the
 *     block cache holds a part
 * @param openFiles open file descriptors of the process; -1 where the platform does not say
 * @param latencyP99Ms event-to-recommendation p99 over the last ~30 s
 */
public record ResourceSample(
    double seconds,
    long heapAfterGcBytes,
    long rocksDbBytes,
    long stateFileBytes,
    long openFiles,
    double latencyP99Ms) {

  /**
   * A sample of this process after a full collection, so that the heap figure is what is live: G1
   * updates the old generation's after-collection figure only on mixed and full collections, so
   * without one it can be minutes old (soak runs read 192, 374, 294, 239 MB at 5-minute samples
   * while live objects grew steadily from 157 to 213 MB). Costs a stop-the-world collection; for
   * soak samples every few minutes, not for a serving path.
   */
  public static ResourceSample afterFullCollection(
      double seconds, long rocksDbBytes, long stateFileBytes, double latencyP99Ms) {
    System.gc();
    return now(seconds, rocksDbBytes, stateFileBytes, latencyP99Ms);
  }

  /** A sample of this process now. */
  public static ResourceSample now(
      double seconds, long rocksDbBytes, long stateFileBytes, double latencyP99Ms) {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (afterGc != null) {
        heap += afterGc.getUsed();
      }
    }
    long files =
        ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
            ? unix.getOpenFileDescriptorCount()
            : -1;
    return new ResourceSample(seconds, heap, rocksDbBytes, stateFileBytes, files, latencyP99Ms);
  }

  /** One line for a progress log. */
  public String line() {
    return ("resources: heap after GC %,.0f MB, RocksDB %,.0f MB (state files %,.0f MB), open files"
            + " %d, latency p99 (last 30 s) %.0f ms")
        .formatted(
            heapAfterGcBytes / 1e6,
            rocksDbBytes / 1e6,
            stateFileBytes / 1e6,
            openFiles,
            latencyP99Ms);
  }
}
