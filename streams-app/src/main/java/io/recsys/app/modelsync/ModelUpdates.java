package io.recsys.app.modelsync;

import io.recsys.app.kafka.Consumers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Wire format of the {@code model-updates} topic. A version is published either as a full snapshot
 * (its checkpoint file) or as a delta on the version before it ({@link io.recsys.model.ModelDelta}:
 * only the rows that changed), the payload cut into consecutive chunks small enough for Kafka's
 * default record size, all with key {@code model} so that they land in order on one partition.
 * Headers carry the version's metadata; a delta names its base in {@link #BASE}.
 */
public final class ModelUpdates {
  public static final String KEY = "model";
  public static final String VERSION = "recsys.model.version";
  public static final String CHUNK = "recsys.model.chunk";
  public static final String CHUNKS = "recsys.model.chunks";
  public static final String CREATED_AT = "recsys.model.created.at";
  public static final String TRAINED_THROUGH = "recsys.model.trained.through";

  /**
   * Who published the version: {@value #ORIGIN_REGISTRY} for a registry version rolled out by
   * {@code models promote} or {@code models rollback}; absent for the trainer's own versions. The
   * trainer adopts registry versions and ignores its own.
   */
  public static final String ORIGIN = "recsys.model.origin";

  public static final String ORIGIN_REGISTRY = "registry";

  /**
   * On a delta: the version it applies to. Absent on a full snapshot. A reader that does not hold
   * that version skips the delta and waits for the next snapshot.
   */
  public static final String BASE = "recsys.model.base";

  /** Below the broker's default 1 MiB message limit, leaving room for headers. */
  static final int CHUNK_BYTES = 900 * 1024;

  /** Records read back from the end to find the newest version (transaction markers included). */
  private static final int TAIL_RECORDS = 16;

  private ModelUpdates() {}

  /**
   * A published model version.
   *
   * @param version monotonically increasing name, such as {@code m-1200} (updates trained)
   * @param createdAt wall-clock time the trainer published it, epoch ms
   * @param trainedThrough newest record timestamp among the examples it has trained on
   */
  public record ModelVersion(String version, long createdAt, long trainedThrough) {}

  /**
   * The configuration of a consumer that reads this topic: one that joins no group (see {@link
   * Consumers}) and fetches a whole chunk at a time.
   */
  public static Map<String, Object> consumerConfig(Map<String, ?> clientConfig) {
    Map<String, Object> config = Consumers.standaloneConfig(clientConfig);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    return config;
  }

  /** The records that publish {@code checkpoint} as {@code version}, without an origin header. */
  public static List<ProducerRecord<String, byte[]>> records(
      String topic, ModelVersion version, byte[] checkpoint) {
    return records(topic, version, checkpoint, null);
  }

  /**
   * The records that publish {@code checkpoint} as {@code version}; every chunk carries {@link
   * #ORIGIN} when {@code origin} is not null.
   */
  public static List<ProducerRecord<String, byte[]>> records(
      String topic, ModelVersion version, byte[] checkpoint, String origin) {
    return records(topic, version, checkpoint, origin, null);
  }

  /**
   * The records that publish {@code version} as a delta ({@link
   * io.recsys.model.ModelDelta#toBytes}) on {@code base}, the version published before it.
   */
  public static List<ProducerRecord<String, byte[]>> deltaRecords(
      String topic, ModelVersion version, String base, byte[] delta) {
    return records(topic, version, delta, null, java.util.Objects.requireNonNull(base, "base"));
  }

  private static List<ProducerRecord<String, byte[]>> records(
      String topic, ModelVersion version, byte[] checkpoint, String origin, String base) {
    int chunks = Math.max(1, (checkpoint.length + CHUNK_BYTES - 1) / CHUNK_BYTES);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(chunks);
    for (int chunk = 0; chunk < chunks; chunk++) {
      int from = chunk * CHUNK_BYTES;
      byte[] part =
          Arrays.copyOfRange(checkpoint, from, Math.min(checkpoint.length, from + CHUNK_BYTES));
      Headers headers = new RecordHeaders();
      headers.add(VERSION, utf8(version.version()));
      headers.add(CHUNK, utf8(Integer.toString(chunk)));
      headers.add(CHUNKS, utf8(Integer.toString(chunks)));
      headers.add(CREATED_AT, utf8(Long.toString(version.createdAt())));
      headers.add(TRAINED_THROUGH, utf8(Long.toString(version.trainedThrough())));
      if (origin != null) {
        headers.add(ORIGIN, utf8(origin));
      }
      if (base != null) {
        headers.add(BASE, utf8(base));
      }
      records.add(new ProducerRecord<>(topic, null, KEY, part, headers));
    }
    return records;
  }

  /**
   * A complete version read back from the topic, kept as the chunks it arrived in: a snapshot of a
   * large model is read from them as a stream ({@link #open}), never copied whole.
   *
   * @param chunks the checkpoint of a snapshot, or the delta's bytes, in order
   * @param origin the {@link #ORIGIN} header, or null when absent (a trainer's version)
   * @param base the {@link #BASE} header: the version a delta applies to; null on a snapshot
   */
  public record Assembled(ModelVersion version, List<byte[]> chunks, String origin, String base) {
    public Assembled {
      chunks = List.copyOf(chunks);
    }

    public Assembled(ModelVersion version, byte[] payload, String origin, String base) {
      this(version, List.of(payload), origin, base);
    }

    /** The bytes of every chunk, one after the other, in a new array. */
    public byte[] payload() {
      byte[] all = new byte[Math.toIntExact(size())];
      int offset = 0;
      for (byte[] chunk : chunks) {
        System.arraycopy(chunk, 0, all, offset, chunk.length);
        offset += chunk.length;
      }
      return all;
    }

    /** The bytes of every chunk as one stream, without copying them. */
    public InputStream open() {
      return new SequenceInputStream(
          Collections.enumeration(chunks.stream().map(ByteArrayInputStream::new).toList()));
    }

    public long size() {
      return chunks.stream().mapToLong(chunk -> chunk.length).sum();
    }

    public boolean fromRegistry() {
      return ORIGIN_REGISTRY.equals(origin);
    }

    public boolean isDelta() {
      return base != null;
    }
  }

  /**
   * The name the trainer gives a version that continues {@code base} (a registry version such as
   * {@code v3}) after {@code updates} online updates: {@code v3+120}.
   */
  public static String lineageName(String base, long updates) {
    return base + "+" + updates;
  }

  /**
   * How many updates a trainer version of this lineage stands for: {@code m-120} is 120 on the
   * trainer's own lineage ({@code base} null); {@code v3+120} is {@code baseUpdates + 120} on the
   * lineage continuing {@code v3}. Empty for a version of another lineage.
   */
  public static OptionalLong updatesOf(String version, String base, long baseUpdates) {
    String prefix = base == null ? "m-" : base + "+";
    if (version == null || !version.startsWith(prefix)) {
      return OptionalLong.empty();
    }
    try {
      long updates = Long.parseLong(version.substring(prefix.length()));
      return OptionalLong.of(base == null ? updates : baseUpdates + updates);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The newest version a trainer published on {@code topic} (committed records only), read from the
   * last few records of its single partition; empty when none is there.
   */
  public static Optional<String> lastTrainerVersion(Map<String, ?> clientConfig, String topic) {
    try (var consumer =
        new KafkaConsumer<>(
            consumerConfig(clientConfig),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      var partitions = Consumers.assignAll(consumer, topic);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (var partition : partitions) {
        // A version's chunks all carry its name: the tail is enough, whatever the model's size.
        consumer.seek(partition, Math.max(0, end.get(partition) - TAIL_RECORDS));
      }
      String last = null;
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          if (!ORIGIN_REGISTRY.equals(origin(record))
              && record.headers().lastHeader(VERSION) != null) {
            last = header(record.headers(), VERSION);
          }
        }
      }
      return Optional.ofNullable(last);
    }
  }

  /** Whether {@code version} is {@code base} itself or a trainer version continuing it. */
  public static boolean derivesFrom(String version, String base) {
    return version != null && (version.equals(base) || version.startsWith(base + "+"));
  }

  /** The origin header of a model-updates record, or null when it has none. */
  public static String origin(ConsumerRecord<?, ?> record) {
    var header = record.headers().lastHeader(ORIGIN);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Puts chunks back together. Chunks of one version arrive in order, but two publishers (the
   * trainer and {@code models promote}) may interleave their versions on the partition, so each
   * version is assembled separately. A chunk out of sequence (a publisher that died
   * mid-publication) discards that version's partial chunks.
   */
  public static final class Assembler {
    /** Partial versions kept at most; more only come from publishers that died mid-way. */
    private static final int MAX_PARTIAL = 8;

    private final Map<String, Partial> partial = new LinkedHashMap<>();

    private static final class Partial {
      final int expected;
      final List<byte[]> parts = new ArrayList<>();

      Partial(int expected) {
        this.expected = expected;
      }
    }

    /** Adds one record; returns the version once its last chunk arrived. */
    public Optional<Assembled> add(ConsumerRecord<String, byte[]> record) {
      Headers headers = record.headers();
      String recordVersion = header(headers, VERSION);
      int chunk = Integer.parseInt(header(headers, CHUNK));
      int chunks = Integer.parseInt(header(headers, CHUNKS));
      Partial current;
      if (chunk == 0) {
        current = new Partial(chunks);
        partial.remove(recordVersion);
        partial.put(recordVersion, current);
        if (partial.size() > MAX_PARTIAL) {
          partial.remove(partial.keySet().iterator().next());
        }
      } else {
        current = partial.get(recordVersion);
        if (current == null || chunk != current.parts.size()) {
          partial.remove(recordVersion);
          return Optional.empty();
        }
      }
      current.parts.add(record.value());
      if (current.parts.size() < current.expected) {
        return Optional.empty();
      }
      partial.remove(recordVersion);
      ModelVersion assembled =
          new ModelVersion(
              recordVersion,
              Long.parseLong(header(headers, CREATED_AT)),
              Long.parseLong(header(headers, TRAINED_THROUGH)));
      var base = headers.lastHeader(BASE);
      return Optional.of(
          new Assembled(
              assembled,
              current.parts,
              origin(record),
              base == null ? null : new String(base.value(), StandardCharsets.UTF_8)));
    }

    /** Whether a version is partly assembled (some chunks read, not all). */
    public boolean inProgress() {
      return !partial.isEmpty();
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
