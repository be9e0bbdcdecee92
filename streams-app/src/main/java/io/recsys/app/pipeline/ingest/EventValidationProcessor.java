package io.recsys.app.pipeline.ingest;

import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.schemas.DeadLetterHeaders;
import io.recsys.schemas.InvalidEventException;
import io.recsys.schemas.UserEvent;
import io.recsys.schemas.UserEventParser;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First step of the pipeline: turns raw input bytes into {@link UserEvent}s. A record that cannot
 * be one goes, bytes untouched, to the dead-letter child with headers naming the error and the
 * source topic, partition and offset, so that bad input neither stops the pipeline nor vanishes.
 * Owns no state stores.
 */
public final class EventValidationProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(EventValidationProcessor.class);

  private final UserEventParser parser;
  private final String validChild;
  private final String deadLetterChild;
  private final PipelineMetrics metrics;
  private ProcessorContext<Object, Object> context;

  public EventValidationProcessor(
      UserEventParser parser, String validChild, String deadLetterChild, PipelineMetrics metrics) {
    this.parser = parser;
    this.validChild = validChild;
    this.deadLetterChild = deadLetterChild;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    UserEvent event;
    try {
      event = parser.parse(record.key(), record.value());
    } catch (InvalidEventException e) {
      sendToDeadLetters(record, e);
      return;
    }
    metrics.eventAccepted();
    context.forward(record.withKey((Object) event.userId()).withValue(event), validChild);
  }

  private void sendToDeadLetters(Record<byte[], byte[]> record, InvalidEventException error) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    LOG.debug(
        "Rejected record {}-{}@{}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        error.getMessage());
    Record<byte[], byte[]> copy = record.withHeaders(record.headers());
    DeadLetterHeaders.write(
        copy.headers(), error, source.topic(), source.partition(), source.offset());
    context.forward(copy, deadLetterChild);
    metrics.deadLetter();
  }
}
