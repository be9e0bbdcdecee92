package io.recsys.app.serving;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Wire format of the {@code model-updates} topic: each model version is its checkpoint file cut
 * into consecutive chunks small enough for Kafka's default record size, all with key {@code
 * model} so that they land in order on one partition. Headers carry the version's metadata.
 */
public final class ModelUpdates {
  public static final String KEY = "model";
  public static final String VERSION = "recsys.model.version";
  public static final String CHUNK = "recsys.model.chunk";
  public static final String CHUNKS = "recsys.model.chunks";
  public static final String CREATED_AT = "recsys.model.created.at";
  public static final String TRAINED_THROUGH = "recsys.model.trained.through";
  /** Below the broker's default 1 MiB message limit, leaving room for headers. */
  static final int CHUNK_BYTES = 900 * 1024;

  private ModelUpdates() {}

  /**
   * A published model version.
   *
   * @param version monotonically increasing name, such as {@code m-1200} (updates trained)
   * @param createdAt wall-clock time the trainer published it, epoch ms
   * @param trainedThrough newest record timestamp among the examples it has trained on
   */
  public record ModelVersion(String version, long createdAt, long trainedThrough) {}

  /** The records that publish {@code checkpoint} as {@code version}. */
  public static List<ProducerRecord<String, byte[]>> records(
      String topic, ModelVersion version, byte[] checkpoint) {
    int chunks = Math.max(1, (checkpoint.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(chunks);
    for (int chunk = 0; chunk < chunks; chunk++) {
      int from = chunk * CHUNK_BYTES;
      byte[] part = Arrays.copyOfRange(checkpoint, from, Math.min(checkpoint.length, from + CHUNK_BYTES));
      Headers headers = new RecordHeaders();
      headers.add(VERSION, utf8(version.version()));
      headers.add(CHUNK, utf8(Integer.toString(chunk)));
      headers.add(CHUNKS, utf8(Integer.toString(chunks)));
      headers.add(CREATED_AT, utf8(Long.toString(version.createdAt())));
      headers.add(TRAINED_THROUGH, utf8(Long.toString(version.trainedThrough())));
      records.add(new ProducerRecord<>(topic, null, KEY, part, headers));
    }
    return records;
  }

  /** A complete version read back from the topic. */
  public record Assembled(ModelVersion version, byte[] checkpoint) {}

  /**
   * Puts chunks back together. Chunks of one version arrive consecutively and in order; a chunk
   * out of sequence (a trainer that died mid-publication) discards the partial version.
   */
  public static final class Assembler {
    private String version;
    private int expected;
    private final List<byte[]> parts = new ArrayList<>();

    /** Adds one record; returns the version once its last chunk arrived. */
    public Optional<Assembled> add(ConsumerRecord<String, byte[]> record) {
      Headers headers = record.headers();
      String recordVersion = header(headers, VERSION);
      int chunk = Integer.parseInt(header(headers, CHUNK));
      int chunks = Integer.parseInt(header(headers, CHUNKS));
      if (chunk == 0) {
        version = recordVersion;
        expected = chunks;
        parts.clear();
      } else if (!recordVersion.equals(version) || chunk != parts.size()) {
        version = null;
        parts.clear();
        return Optional.empty();
      }
      parts.add(record.value());
      if (parts.size() < expected) {
        return Optional.empty();
      }
      int size = parts.stream().mapToInt(part -> part.length).sum();
      byte[] checkpoint = new byte[size];
      int offset = 0;
      for (byte[] part : parts) {
        System.arraycopy(part, 0, checkpoint, offset, part.length);
        offset += part.length;
      }
      parts.clear();
      ModelVersion assembled =
          new ModelVersion(
              recordVersion,
              Long.parseLong(header(headers, CREATED_AT)),
              Long.parseLong(header(headers, TRAINED_THROUGH)));
      version = null;
      return Optional.of(new Assembled(assembled, checkpoint));
    }
  }

  private static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    if (header == null) {
      throw new IllegalArgumentException("model update without header " + name);
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
