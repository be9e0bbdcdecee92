package io.recsys.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Header names of records on the dead-letter topic ({@code events-dlq}). The record's key and value
 * are the original bytes, untouched; these headers (UTF-8 strings) say why it was rejected and
 * where it came from.
 */
public final class DeadLetterHeaders {
  /** Human-readable reason, naming the field and the value received. */
  public static final String ERROR = "recsys.dlq.error";

  /** The offending field ({@code $} for the whole value, {@code key} for the record key). */
  public static final String FIELD = "recsys.dlq.field";

  /** Topic the record was read from. */
  public static final String SOURCE_TOPIC = "recsys.dlq.source.topic";

  /** Partition the record was read from (decimal). */
  public static final String SOURCE_PARTITION = "recsys.dlq.source.partition";

  /** Offset the record was read at (decimal). */
  public static final String SOURCE_OFFSET = "recsys.dlq.source.offset";

  private DeadLetterHeaders() {}

  /** Adds all dead-letter headers to {@code headers}. */
  public static Headers write(
      Headers headers, InvalidEventException error, String topic, int partition, long offset) {
    headers.add(ERROR, utf8(error.getMessage()));
    headers.add(FIELD, utf8(error.field()));
    headers.add(SOURCE_TOPIC, utf8(topic));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(partition)));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    return headers;
  }

  /** The last value of header {@code name} as a string, or null when absent. */
  public static String read(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
