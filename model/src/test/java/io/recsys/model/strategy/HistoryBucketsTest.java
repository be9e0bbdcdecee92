package io.recsys.model.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryBucketsTest {
  @Test
  void shouldDoubleTheBucketWidth() {
    assertThat(HistoryBuckets.of(0)).isZero();
    assertThat(HistoryBuckets.of(1)).isZero();
    assertThat(HistoryBuckets.of(2)).isEqualTo(1);
    assertThat(HistoryBuckets.of(3)).isEqualTo(1);
    assertThat(HistoryBuckets.of(4)).isEqualTo(2);
    assertThat(HistoryBuckets.of(31)).isEqualTo(4);
    assertThat(HistoryBuckets.of(32)).isEqualTo(5);
    assertThat(HistoryBuckets.of(10_000)).isEqualTo(HistoryBuckets.COUNT - 1);
  }

  @Test
  void shouldNameEachBucketByItsRange() {
    assertThat(HistoryBuckets.label(0)).isEqualTo("1");
    assertThat(HistoryBuckets.label(2)).isEqualTo("4-7");
    assertThat(HistoryBuckets.label(HistoryBuckets.COUNT - 1)).isEqualTo("32+");
  }
}
