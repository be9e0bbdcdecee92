package io.recsys.app.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus registry behind {@code /metrics}, whose scrape survives a counter that reports a
 * negative value.
 *
 * <p>The Prometheus client refuses a negative counter by failing the whole scrape (HTTP 500, every
 * meter lost), and some Kafka Streams counters report -1 or -2 for a value they cannot compute, for
 * example with {@code metrics.recording.level=DEBUG} (KAFKA-18495; prometheus/client_java #1780).
 * Such a reading is exported as {@code NaN}, Prometheus' "no value", and logged once per meter;
 * every other meter is exported as it reads.
 */
public final class ScrapeSafeRegistry extends PrometheusMeterRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ScrapeSafeRegistry.class);

  private final Set<String> reported = ConcurrentHashMap.newKeySet();

  public ScrapeSafeRegistry() {
    super(PrometheusConfig.DEFAULT);
  }

  @Override
  protected <T> FunctionCounter newFunctionCounter(
      Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
    return super.newFunctionCounter(id, obj, o -> nonNegative(id, countFunction.applyAsDouble(o)));
  }

  private double nonNegative(Meter.Id id, double count) {
    if (count >= 0 || Double.isNaN(count)) {
      return count;
    }
    if (reported.add(id.getName())) {
      LOG.warn(
          "Counter {} reads {}, which a counter cannot be; exported as NaN (its source: {})",
          id.getName(),
          count,
          id.getTags());
    }
    return Double.NaN;
  }
}
