package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.RecsysApp;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.testing.KafkaCluster;
import io.recsys.schemas.DeadLetterHeaders;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.SchemaSerdes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile records (malformed, truncated, mistyped, oversized, binary, nested, out of
 * range) interleaved with good events, through the whole pipeline, model and trainer included, on a
 * real broker: every bad record lands on the dead-letter topic with a reason, every good event gets
 * its recommendation, and nothing stops.
 */
class HostileInputTest {
  @RegisterExtension static final KafkaCluster KAFKA = KafkaCluster.create();

  private static final long T0 = 1_700_000_000_000L;
  private static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(180);
  private static final String OK =
      "{\"userId\":\"h\",\"itemId\":\"i\",\"eventType\":\"view\",\"eventTime\":" + T0 + "}";

  @TempDir Path stateDir;

  /** One record of each hostile kind, by name: key and value as bytes (either may be null). */
  private static Map<String, byte[][]> corpus() {
    Map<String, byte[][]> kinds = new LinkedHashMap<>();
    kinds.put("truncated JSON", kv("h", "{\"userId\":\"h\",\"itemId\":\"i\",\"eventTy"));
    kinds.put("invalid JSON", kv("h", "{not json at all}"));
    kinds.put("empty value", new byte[][] {utf8("h"), new byte[0]});
    kinds.put("null value (tombstone)", new byte[][] {utf8("h"), null});
    kinds.put("null key", new byte[][] {null, utf8(OK)});
    kinds.put("empty key", new byte[][] {new byte[0], utf8(OK)});
    kinds.put("key differs from userId", kv("someone-else", OK));
    kinds.put("JSON array", kv("h", "[1,2,3]"));
    kinds.put("JSON string", kv("h", "\"just text\""));
    kinds.put("JSON number", kv("h", "42"));
    kinds.put("JSON boolean", kv("h", "true"));
    kinds.put("JSON null", kv("h", "null"));
    kinds.put("empty object", kv("h", "{}"));
    kinds.put("missing userId", kv("h", without("userId")));
    kinds.put("missing itemId", kv("h", without("itemId")));
    kinds.put("missing eventType", kv("h", without("eventType")));
    kinds.put("missing eventTime", kv("h", without("eventTime")));
    kinds.put("userId null", kv("h", with("userId", "null")));
    kinds.put("userId number", kv("h", with("userId", "7")));
    kinds.put("userId object", kv("h", with("userId", "{\"id\":\"h\"}")));
    kinds.put("itemId number", kv("h", with("itemId", "12")));
    kinds.put("itemId array", kv("h", with("itemId", "[\"i\"]")));
    kinds.put("eventType number", kv("h", with("eventType", "3")));
    kinds.put("eventType null", kv("h", with("eventType", "null")));
    kinds.put("unknown eventType", kv("h", with("eventType", "\"teleport\"")));
    kinds.put("eventTime string", kv("h", with("eventTime", "\"yesterday\"")));
    kinds.put("eventTime fractional", kv("h", with("eventTime", "1700000000000.5")));
    kinds.put("eventTime negative", kv("h", with("eventTime", "-5")));
    kinds.put("eventTime zero", kv("h", with("eventTime", "0")));
    kinds.put("eventTime in seconds", kv("h", with("eventTime", "1700000000")));
    kinds.put("eventTime in microseconds", kv("h", with("eventTime", "1700000000000000")));
    kinds.put("eventTime in year 3000", kv("h", with("eventTime", "32503680000000")));
    kinds.put("eventTime beyond a long", kv("h", with("eventTime", "99999999999999999999")));
    kinds.put("eventTime NaN token", kv("h", with("eventTime", "NaN")));
    kinds.put("value NaN token", kv("h", with("value", "NaN")));
    kinds.put("value Infinity token", kv("h", with("value", "Infinity")));
    kinds.put("value string", kv("h", with("value", "\"5\"")));
    kinds.put("blank userId", kv(" ", with("userId", "\" \"")));
    kinds.put("empty itemId", kv("h", with("itemId", "\"\"")));
    String longId = "u".repeat(10_000);
    kinds.put("10,000-character userId", kv(longId, with("userId", "\"" + longId + "\"")));
    kinds.put("10,000-character itemId", kv("h", with("itemId", "\"" + "i".repeat(10_000) + "\"")));
    kinds.put("control character in itemId", kv("h", with("itemId", "\"a\\u0001b\"")));
    kinds.put("newline in userId", kv("a\nb", with("userId", "\"a\\nb\"")));
    kinds.put(
        "1 MB value",
        kv("h", OK.substring(0, OK.length() - 1) + ",\"pad\":\"" + "x".repeat(1_000_000) + "\"}"));
    kinds.put("deeply nested JSON", kv("h", "[".repeat(5_000) + "]".repeat(5_000)));
    kinds.put(
        "deeply nested field",
        kv("h", with("value", "{\"a\":".repeat(2_000) + "1" + "}".repeat(2_000))));
    byte[] garbage = new byte[512];
    new SplittableRandom(3).nextBytes(garbage);
    garbage[0] = (byte) 0xFF;
    kinds.put("binary garbage", new byte[][] {utf8("h"), garbage});
    byte[] badUtf8 = utf8(with("itemId", "\"abc\""));
    int quote = new String(badUtf8, StandardCharsets.ISO_8859_1).indexOf("abc");
    badUtf8[quote + 1] = (byte) 0xC3; // a lead byte followed by an ASCII byte: invalid UTF-8
    kinds.put("invalid UTF-8 in a string", new byte[][] {utf8("h"), badUtf8});
    return kinds;
  }

  @Test
  void shouldDeadLetterEveryHostileRecordAndRecommendForEveryGoodOne() throws Exception {
    Map<String, byte[][]> corpus = corpus();
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);

    // Given the whole pipeline, model and trainer included, on a real broker
    Map<String, Object> config = KAFKA.appConfig("hostile");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(RecsysConfig.TOPIC_PARTITIONS_CONFIG, "2");
    config.put(RecsysConfig.HTTP_PORT_CONFIG, "-1");
    config.put(RecsysConfig.TRAINER_DIR_CONFIG, stateDir.resolve("trainer").toString());
    String events = (String) config.get(RecsysConfig.EVENTS_TOPIC_CONFIG);
    try (RecsysApp app = RecsysApp.start(config)) {
      // When every hostile kind arrives twice, interleaved with 1,200 good events
      List<ProducerRecord<byte[], byte[]>> good = new ArrayList<>();
      for (int i = 0; i < 1_200; i++) {
        String user = "user-" + (i % 40);
        String item = "item-" + ((i * 7) % 53);
        good.add(
            new ProducerRecord<>(
                events,
                utf8(user),
                utf8(
                    "{\"userId\":\"%s\",\"itemId\":\"%s\",\"eventType\":\"view\",\"eventTime\":%d}"
                        .formatted(user, item, T0 + i))));
      }
      List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>(good);
      List<String> badKinds = new ArrayList<>();
      int inserted = 0;
      for (int copy = 0; copy < 2; copy++) {
        for (var kind : corpus.entrySet()) {
          int at = (inserted * 29 + 5) % all.size();
          all.add(at, new ProducerRecord<>(events, kind.getValue()[0], kind.getValue()[1]));
          inserted++;
        }
      }
      Map<String, String> kindAt = new HashMap<>();
      List<RecordMetadata> sent = produce(all);
      Set<ProducerRecord<byte[], byte[]>> goodSet =
          Collections.newSetFromMap(new IdentityHashMap<>());
      goodSet.addAll(good);
      for (int i = 0; i < all.size(); i++) {
        ProducerRecord<byte[], byte[]> record = all.get(i);
        if (!goodSet.contains(record)) {
          String name = kindOf(corpus, record);
          badKinds.add(name);
          kindAt.put(sent.get(i).partition() + "/" + sent.get(i).offset(), name);
        }
      }

      // Then every good event has its recommendation
      List<ConsumerRecord<byte[], byte[]>> recommendations =
          readUntil((String) config.get(RecsysConfig.RECOMMENDATIONS_TOPIC_CONFIG), good.size());
      Set<String> answered = new HashSet<>();
      for (var record : recommendations) {
        Recommendation r =
            SchemaSerdes.recommendation()
                .deserializer()
                .deserialize(record.topic(), record.value());
        answered.add(r.userId() + "@" + r.eventTime());
      }
      assertThat(answered).hasSize(good.size());

      // And every hostile record is on the dead-letter topic, with a reason, once
      List<ConsumerRecord<byte[], byte[]>> deadLetters =
          readUntil((String) config.get(RecsysConfig.DLQ_TOPIC_CONFIG), badKinds.size());
      assertThat(deadLetters).hasSize(badKinds.size());
      Map<String, Integer> byKind = new LinkedHashMap<>();
      for (var record : deadLetters) {
        String at =
            DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.SOURCE_PARTITION)
                + "/"
                + DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.SOURCE_OFFSET);
        String kind = kindAt.get(at);
        assertThat(kind).as("the dead letter at %s is one of the hostile records", at).isNotNull();
        assertThat(DeadLetterHeaders.read(record.headers(), DeadLetterHeaders.ERROR))
            .as(kind)
            .isNotBlank();
        byKind.merge(kind, 1, Integer::sum);
      }
      assertThat(byKind.keySet()).containsExactlyInAnyOrderElementsOf(corpus.keySet());
      assertThat(byKind.values()).allMatch(count -> count == 2);

      // And nothing stopped: the stream runs, the trainer runs
      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(app.trainer()).hasValueSatisfying(t -> assertThat(t.failure()).isNull());
      assertThat(app.metrics().deadLetters()).isEqualTo(badKinds.size());
    }
  }

  private static String kindOf(Map<String, byte[][]> corpus, ProducerRecord<byte[], byte[]> r) {
    for (var kind : corpus.entrySet()) {
      if (kind.getValue()[0] == r.key() && kind.getValue()[1] == r.value()) {
        return kind.getKey();
      }
    }
    throw new IllegalStateException("not a corpus record");
  }

  private static String without(String field) {
    Map<String, String> fields = fields();
    fields.remove(field);
    return json(fields);
  }

  private static String with(String field, String rawJsonValue) {
    Map<String, String> fields = fields();
    fields.put(field, rawJsonValue);
    return json(fields);
  }

  private static Map<String, String> fields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("userId", "\"h\"");
    fields.put("itemId", "\"i\"");
    fields.put("eventType", "\"view\"");
    fields.put("eventTime", Long.toString(T0));
    return fields;
  }

  private static String json(Map<String, String> fields) {
    List<String> parts = new ArrayList<>();
    fields.forEach((k, v) -> parts.add("\"" + k + "\":" + v));
    return "{" + String.join(",", parts) + "}";
  }

  private static byte[][] kv(String key, String value) {
    return new byte[][] {utf8(key), utf8(value)};
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<RecordMetadata> produce(List<ProducerRecord<byte[], byte[]>> records)
      throws Exception {
    Map<String, Object> producerConfig = new HashMap<>(KAFKA.clientConfig());
    producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
    List<Future<RecordMetadata>> futures = new ArrayList<>();
    try (var producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (var record : records) {
        futures.add(producer.send(record));
      }
      producer.flush();
    }
    List<RecordMetadata> sent = new ArrayList<>();
    for (var future : futures) {
      sent.add(future.get());
    }
    return sent;
  }

  private static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, int count) {
    return CommittedRecords.readUntil(KAFKA.clientConfig(), topic, count, OUTPUT_TIMEOUT);
  }
}
