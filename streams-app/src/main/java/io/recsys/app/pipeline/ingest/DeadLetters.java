package io.recsys.app.pipeline.ingest;

import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.schemas.DeadLetterHeaders;
import io.recsys.schemas.InvalidEventException;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a rejected input record, bytes untouched, to the dead-letter child with headers naming the
 * error and its source topic, partition and offset. One per processor that reads raw input.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final String child;
  private final PipelineMetrics metrics;

  DeadLetters(String child, PipelineMetrics metrics) {
    this.child = child;
    this.metrics = metrics;
  }

  <K, V> void send(
      ProcessorContext<K, V> context, Record<byte[], byte[]> record, InvalidEventException error) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    // DEBUG: the reason may quote the record, and records name users.
    LOG.debug(
        "Rejected record {}-{}@{}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        error.getMessage());
    Record<byte[], byte[]> copy = record.withHeaders(record.headers());
    DeadLetterHeaders.write(
        copy.headers(), error, source.topic(), source.partition(), source.offset());
    @SuppressWarnings("unchecked")
    Record<K, V> forwarded = (Record<K, V>) (Record<?, ?>) copy;
    context.forward(forwarded, child);
    metrics.deadLetter();
  }
}
