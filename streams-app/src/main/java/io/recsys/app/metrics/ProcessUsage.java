package io.recsys.app.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * What this JVM has used so far: CPU time of all its threads, garbage collections and the time they
 * took, and the cores it may run on. Two readings give the usage in between ({@link #since}).
 *
 * <p>Why a benchmark wants it: on a shared machine events/s swing by 15% between two runs of one
 * command (two back-to-back runs of the model-overhead benchmark gave ratios 0.53 and 0.41), while
 * CPU time per event does not depend on what the neighbours do. Collections explain latency tails.
 *
 * @param cpuNanos CPU time of every thread of the process (compiler, GC and broker threads too), or
 *     -1 where the JVM cannot tell
 * @param gcCount collections of every collector
 * @param gcMillis time those collections took (for G1's young collections, the pauses)
 * @param cores processors this JVM may use
 */
public record ProcessUsage(long cpuNanos, long gcCount, long gcMillis, int cores) {

  /** A reading now. */
  public static ProcessUsage now() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new ProcessUsage(
        processCpuNanos(), count, millis, Runtime.getRuntime().availableProcessors());
  }

  private static long processCpuNanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    // The standard interface has no process CPU time; HotSpot's (and OpenJ9's) extension does.
    if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
      return hotspot.getProcessCpuTime();
    }
    return -1;
  }

  /** The usage between an earlier reading and this one. */
  public ProcessUsage since(ProcessUsage earlier) {
    return new ProcessUsage(
        cpuNanos < 0 || earlier.cpuNanos < 0 ? -1 : cpuNanos - earlier.cpuNanos,
        gcCount - earlier.gcCount,
        gcMillis - earlier.gcMillis,
        cores);
  }

  /** CPU seconds, NaN where unknown. */
  public double cpuSeconds() {
    return cpuNanos < 0 ? Double.NaN : cpuNanos / 1e9;
  }

  /** CPU microseconds per unit of work (an event), NaN where unknown or with no work. */
  public double cpuMicrosPer(long units) {
    return cpuNanos < 0 || units <= 0 ? Double.NaN : cpuNanos / 1e3 / units;
  }

  /** Cores busy on average over {@code seconds} of wall time, NaN where unknown. */
  public double coresBusy(double seconds) {
    return cpuNanos < 0 || seconds <= 0 ? Double.NaN : cpuNanos / 1e9 / seconds;
  }
}
