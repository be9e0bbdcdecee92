package io.recsys.app.modelsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.app.modelsync.ModelUpdates.Assembled;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class ModelUpdatesTest {
  private static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  private static List<ConsumerRecord<String, byte[]>> asConsumed(
      List<ProducerRecord<String, byte[]>> produced) {
    List<ConsumerRecord<String, byte[]>> consumed = new ArrayList<>();
    for (ProducerRecord<String, byte[]> record : produced) {
      ConsumerRecord<String, byte[]> copy =
          new ConsumerRecord<>(record.topic(), 0, consumed.size(), record.key(), record.value());
      record.headers().forEach(header -> copy.headers().add(header));
      consumed.add(copy);
    }
    return consumed;
  }

  @Test
  void shouldMarkRegistryPublicationsAndLeaveTrainerPublicationsUnmarked() {
    var registry =
        ModelUpdates.records(
            "t", new ModelVersion("v3", 1, 2), bytes(10, 1), ModelUpdates.ORIGIN_REGISTRY);
    var trainer = ModelUpdates.records("t", new ModelVersion("m-5", 1, 2), bytes(10, 2));

    assertThat(registry.get(0).headers().lastHeader(ModelUpdates.ORIGIN)).isNotNull();
    assertThat(trainer.get(0).headers().lastHeader(ModelUpdates.ORIGIN)).isNull();
    ModelUpdates.Assembler assembler = new ModelUpdates.Assembler();
    assertThat(assembler.add(asConsumed(registry).get(0)).orElseThrow().fromRegistry()).isTrue();
    assertThat(assembler.add(asConsumed(trainer).get(0)).orElseThrow().fromRegistry()).isFalse();
  }

  @Test
  void shouldAssembleTwoVersionsWhoseChunksInterleave() {
    // A promotion (3 chunks) and a trainer publication (1 chunk) written at the same time
    byte[] promoted = bytes(ModelUpdates.CHUNK_BYTES * 2 + 17, 3);
    byte[] trained = bytes(100, 4);
    var promotion =
        asConsumed(
            ModelUpdates.records(
                "t", new ModelVersion("v3", 1, 2), promoted, ModelUpdates.ORIGIN_REGISTRY));
    var publication = asConsumed(ModelUpdates.records("t", new ModelVersion("m-9", 1, 2), trained));
    List<ConsumerRecord<String, byte[]>> log =
        List.of(promotion.get(0), publication.get(0), promotion.get(1), promotion.get(2));

    ModelUpdates.Assembler assembler = new ModelUpdates.Assembler();
    List<Assembled> complete = new ArrayList<>();
    for (var record : log) {
      assembler.add(record).ifPresent(complete::add);
    }

    assertThat(complete).extracting(a -> a.version().version()).containsExactly("m-9", "v3");
    assertThat(complete.get(1).payload()).isEqualTo(promoted);
    assertThat(complete.get(0).payload()).isEqualTo(trained);
    assertThat(assembler.inProgress()).isFalse();
  }

  @Test
  void shouldDiscardAVersionWithAMissingChunk() {
    var chunks =
        asConsumed(
            ModelUpdates.records(
                "t", new ModelVersion("v4", 1, 2), bytes(ModelUpdates.CHUNK_BYTES * 2 + 1, 5)));
    ModelUpdates.Assembler assembler = new ModelUpdates.Assembler();

    assertThat(assembler.add(chunks.get(0))).isEmpty();
    Optional<Assembled> afterGap = assembler.add(chunks.get(2));

    assertThat(afterGap).isEmpty();
    assertThat(assembler.inProgress()).isFalse();
  }

  @Test
  void shouldCountTheUpdatesOfAVersionOfTheSameLineageOnly() {
    assertThat(ModelUpdates.updatesOf("m-120", null, 0)).hasValue(120);
    assertThat(ModelUpdates.updatesOf(ModelUpdates.lineageName("v3", 20), "v3", 500)).hasValue(520);
    assertThat(ModelUpdates.updatesOf("m-120", "v3", 500)).isEmpty();
    assertThat(ModelUpdates.updatesOf("v31+4", "v3", 500)).isEmpty();
    assertThat(ModelUpdates.updatesOf("v3", null, 0)).isEmpty();
    assertThat(ModelUpdates.updatesOf("m-x", null, 0)).isEmpty();
  }

  @Test
  void shouldTellWhichVersionsDeriveFromARegistryVersion() {
    assertThat(ModelUpdates.derivesFrom("v3", "v3")).isTrue();
    assertThat(ModelUpdates.derivesFrom(ModelUpdates.lineageName("v3", 120), "v3")).isTrue();
    assertThat(ModelUpdates.derivesFrom("v31", "v3")).isFalse();
    assertThat(ModelUpdates.derivesFrom("v31+4", "v3")).isFalse();
    assertThat(ModelUpdates.derivesFrom("m-3", "v3")).isFalse();
    assertThat(ModelUpdates.derivesFrom(null, "v3")).isFalse();
  }
}
