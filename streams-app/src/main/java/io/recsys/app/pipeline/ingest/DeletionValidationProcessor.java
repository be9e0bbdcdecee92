package io.recsys.app.pipeline.ingest;

import io.recsys.app.erasure.UserPseudonyms;
import io.recsys.app.metrics.PipelineMetrics;
import io.recsys.schemas.InvalidEventException;
import io.recsys.schemas.UserDeletion;
import io.recsys.schemas.UserDeletionParser;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads the {@code user-deletions} topic: a valid request goes on keyed by the user id, with its
 * {@link UserDeletion}; a bad one goes to the dead-letter child like a bad event. A request without
 * a value is named by its topic, partition and offset, which a retried read of the same record
 * names the same way.
 */
public final class DeletionValidationProcessor
    implements Processor<byte[], byte[], Object, Object> {
  private final UserDeletionParser parser;
  private final UserPseudonyms pseudonyms;
  private final String validChild;
  private final DeadLetters deadLetters;
  private ProcessorContext<Object, Object> context;

  public DeletionValidationProcessor(
      UserDeletionParser parser,
      UserPseudonyms pseudonyms,
      String validChild,
      String deadLetterChild,
      PipelineMetrics metrics) {
    this.parser = parser;
    this.pseudonyms = pseudonyms;
    this.validChild = validChild;
    this.deadLetters = new DeadLetters(deadLetterChild, metrics);
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    UserDeletionParser.Request request;
    try {
      request =
          parser.parse(
              record.key(),
              record.value(),
              source.topic() + "-" + source.partition() + "@" + source.offset(),
              record.timestamp());
    } catch (InvalidEventException e) {
      deadLetters.send(context, record, e);
      return;
    }
    context.forward(
        record.withKey((Object) pseudonyms.of(request.userId())).withValue(request.deletion()),
        validChild);
  }
}
