package io.recsys.app.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TimestampMergeTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final long HOLD = 100;

  private static ConsumerRecord<String, String> record(TopicPartition p, long offset, long time) {
    return new ConsumerRecord<>(
        p.topic(),
        p.partition(),
        offset,
        time,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
        0,
        0,
        "k",
        p.partition() + "@" + time,
        new org.apache.kafka.common.header.internals.RecordHeaders(),
        java.util.Optional.empty());
  }

  private static List<String> drain(
      TimestampMerge<String, String> merge, Set<TopicPartition> caughtUp, long now) {
    List<String> out = new ArrayList<>();
    ConsumerRecord<String, String> r;
    while ((r = merge.next(caughtUp::contains, now)) != null) {
      out.add(r.value());
    }
    return out;
  }

  @Test
  void shouldInterleaveRunsOfTwoPartitionsByTimestamp() {
    TimestampMerge<String, String> merge = new TimestampMerge<>(List.of(P0, P1), HOLD);
    // A fetch returns a run of partition 0, then a run of partition 1.
    merge.add(record(P0, 0, 10));
    merge.add(record(P0, 1, 30));
    merge.add(record(P0, 2, 50));
    merge.add(record(P1, 0, 20));
    merge.add(record(P1, 1, 40));

    assertThat(drain(merge, Set.of(P0, P1), 0))
        .containsExactly("0@10", "1@20", "0@30", "1@40", "0@50");
  }

  @Test
  void shouldWaitForAPartitionThatMayHoldOlderRecordsButNotForever() {
    TimestampMerge<String, String> merge = new TimestampMerge<>(List.of(P0, P1), HOLD);
    merge.add(record(P0, 0, 10));
    merge.add(record(P0, 1, 30));

    // Partition 1 has nothing buffered and is not caught up: it may deliver something older.
    assertThat(drain(merge, Set.of(P0), 0)).isEmpty();
    assertThat(drain(merge, Set.of(P0), HOLD - 1)).isEmpty();
    // Held long enough: go on without it.
    assertThat(drain(merge, Set.of(P0), HOLD)).containsExactly("0@10", "0@30");
  }

  @Test
  void shouldNotWaitForACaughtUpPartition() {
    TimestampMerge<String, String> merge = new TimestampMerge<>(List.of(P0, P1), HOLD);
    merge.add(record(P0, 0, 10));

    assertThat(drain(merge, Set.of(P0, P1), 0)).containsExactly("0@10");
  }
}
