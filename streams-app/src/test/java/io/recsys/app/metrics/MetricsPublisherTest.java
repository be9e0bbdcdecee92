package io.recsys.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.schemas.MetricsRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class MetricsPublisherTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PipelineMetrics pipeline = new PipelineMetrics(registry);
  private final AtomicLong clock = new AtomicLong(1_000_000L);
  private final MockProducer<String, MetricsRecord> producer =
      new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]);

  private MetricsPublisher publisher() {
    MetricsPublisher.Sources sources =
        new MetricsPublisher.Sources(
            pipeline, new TrainerMetrics(registry), () -> false, new CurrentModel());
    // An interval far beyond the test: only the explicit calls below publish.
    return new MetricsPublisher(
        sources, producer, "metrics", "recsys@test", Duration.ofHours(1), clock::get);
  }

  @Test
  void shouldPublishRatesOverTheWindowAndTotalsSinceStart() {
    pipeline.eventAccepted();
    try (MetricsPublisher publisher = publisher()) {
      for (int i = 0; i < 20; i++) {
        pipeline.eventAccepted();
        pipeline.recommendationSent(7);
      }
      pipeline.deadLetter();
      clock.addAndGet(2_000);

      MetricsRecord record = publisher.publish();

      assertThat(record.windowEnd() - record.windowStart()).isEqualTo(2_000);
      assertThat(record.eventsPerSecond()).isEqualTo(10.0);
      assertThat(record.recommendationsPerSecond()).isEqualTo(10.0);
      assertThat(record.deadLettersPerSecond()).isEqualTo(0.5);
      assertThat(record.eventsTotal()).isEqualTo(21);
      assertThat(record.latencyP50Ms()).isNotNull();
      assertThat(producer.history()).hasSize(1);
      assertThat(producer.history().get(0).key()).isEqualTo("recsys@test");
      assertThat(producer.history().get(0).topic()).isEqualTo("metrics");
    }
  }

  @Test
  void shouldLeaveModelAndTrainerFiguresAbsentWithoutThem() {
    try (MetricsPublisher publisher = publisher()) {
      clock.addAndGet(1_000);

      MetricsRecord record = publisher.publish();

      assertThat(record.modelVersion()).isNull();
      assertThat(record.modelAgeMs()).isNull();
      assertThat(record.trainerLag()).isNull();
      assertThat(record.trainingLoss()).isNull();
      assertThat(record.prequentialModel()).isNull();
      assertThat(record.prequentialPopularity()).isNotNull();
      assertThat(record.latencyP50Ms()).isNull();
    }
  }
}
