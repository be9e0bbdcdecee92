package io.recsys.app.pipeline.ingest;

import io.recsys.app.erasure.UserPseudonyms;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.schemas.InvalidEventException;
import io.recsys.schemas.UserEvent;
import io.recsys.schemas.UserEventParser;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First step of the pipeline: turns raw input bytes into {@link UserEvent}s. A record that cannot
 * be one goes, bytes untouched, to the dead-letter child with headers naming the error and the
 * source topic, partition and offset, so that bad input neither stops the pipeline nor vanishes.
 * Owns no state stores.
 */
public final class EventValidationProcessor implements Processor<byte[], byte[], Object, Object> {
  private final UserEventParser parser;
  private final UserPseudonyms pseudonyms;
  private final String validChild;
  private final DeadLetters deadLetters;
  private final PipelineMetrics metrics;
  private ProcessorContext<Object, Object> context;

  /**
   * @param pseudonyms what the pipeline calls each user from here on (the raw id, or a keyed hash)
   */
  public EventValidationProcessor(
      UserEventParser parser,
      UserPseudonyms pseudonyms,
      String validChild,
      String deadLetterChild,
      PipelineMetrics metrics) {
    this.parser = parser;
    this.pseudonyms = pseudonyms;
    this.validChild = validChild;
    this.deadLetters = new DeadLetters(deadLetterChild, metrics);
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
      deadLetters.send(context, record, e);
      return;
    }
    metrics.eventAccepted();
    if (pseudonyms.enabled()) {
      event =
          new UserEvent(
              pseudonyms.of(event.userId()),
              event.itemId(),
              event.eventType(),
              event.value(),
              event.eventTime());
    }
    context.forward(record.withKey((Object) event.userId()).withValue(event), validChild);
  }
}
