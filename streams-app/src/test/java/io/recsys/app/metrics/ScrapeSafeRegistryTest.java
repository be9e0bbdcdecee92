package io.recsys.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScrapeSafeRegistryTest {

  @Test
  void aNegativeCounterReadsNaNAndEveryOtherMeterStillScrapes() {
    ScrapeSafeRegistry registry = new ScrapeSafeRegistry();
    AtomicLong broken = new AtomicLong(-2);
    AtomicLong fine = new AtomicLong(5);
    FunctionCounter.builder("kafka.broken.total", broken, AtomicLong::get).register(registry);
    FunctionCounter.builder("kafka.fine.total", fine, AtomicLong::get).register(registry);
    Gauge.builder("kafka.offset.lag", () -> -3).register(registry);

    String scrape = registry.scrape();

    assertThat(scrape).contains("kafka_broken_total NaN");
    assertThat(scrape).contains("kafka_fine_total 5.0");
    assertThat(scrape).contains("kafka_offset_lag -3.0");
  }

  @Test
  void aCounterThatRecoversIsExportedAsItReads() {
    ScrapeSafeRegistry registry = new ScrapeSafeRegistry();
    AtomicLong value = new AtomicLong(-1);
    FunctionCounter.builder("kafka.sometimes.total", value, AtomicLong::get).register(registry);
    assertThat(registry.scrape()).contains("kafka_sometimes_total NaN");

    value.set(7);

    assertThat(registry.scrape()).contains("kafka_sometimes_total 7.0");
  }
}
