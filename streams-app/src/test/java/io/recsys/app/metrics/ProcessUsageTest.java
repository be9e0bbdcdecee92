package io.recsys.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessUsageTest {

  @Test
  void usageBetweenTwoReadingsIsTheirDifference() {
    ProcessUsage earlier = new ProcessUsage(2_000_000_000L, 3, 40, 2);
    ProcessUsage later = new ProcessUsage(5_000_000_000L, 10, 130, 2);

    ProcessUsage between = later.since(earlier);

    assertThat(between).isEqualTo(new ProcessUsage(3_000_000_000L, 7, 90, 2));
    assertThat(between.cpuSeconds()).isEqualTo(3.0);
    assertThat(between.cpuMicrosPer(1_000)).isEqualTo(3_000.0);
    assertThat(between.coresBusy(2.0)).isEqualTo(1.5);
  }

  @Test
  void unknownCpuTimeStaysUnknown() {
    ProcessUsage unknown = new ProcessUsage(-1, 0, 0, 2);

    assertThat(unknown.since(new ProcessUsage(5, 0, 0, 2)).cpuNanos()).isEqualTo(-1);
    assertThat(new ProcessUsage(5, 0, 0, 2).since(unknown).cpuNanos()).isEqualTo(-1);
    assertThat(unknown.cpuSeconds()).isNaN();
    assertThat(unknown.cpuMicrosPer(10)).isNaN();
    assertThat(new ProcessUsage(5, 0, 0, 2).cpuMicrosPer(0)).isNaN();
  }

  @Test
  void thisJvmReportsCpuTimeThatGrowsWithWork() {
    ProcessUsage before = ProcessUsage.now();
    long sink = 0;
    for (int i = 0; i < 50_000_000; i++) {
      sink += Long.numberOfTrailingZeros(i ^ sink);
    }
    ProcessUsage used = ProcessUsage.now().since(before);

    assertThat(sink).isNotNegative();
    assertThat(before.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(used.cpuNanos()).isPositive();
    assertThat(used.gcCount()).isNotNegative();
  }
}
