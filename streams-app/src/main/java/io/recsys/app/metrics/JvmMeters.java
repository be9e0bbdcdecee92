package io.recsys.app.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM and process meters an operator expects on {@code /metrics} ({@code jvm_*}: memory,
 * garbage collection, threads, classes; {@code process_*}: CPU, uptime, open files), from
 * Micrometer's own binders. Close it to stop listening to garbage collections.
 */
public final class JvmMeters implements AutoCloseable {
  private final JvmGcMetrics gc;

  private JvmMeters(JvmGcMetrics gc) {
    this.gc = gc;
  }

  public static JvmMeters bindTo(MeterRegistry registry) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    return new JvmMeters(gc);
  }

  @Override
  public void close() {
    gc.close();
  }
}
