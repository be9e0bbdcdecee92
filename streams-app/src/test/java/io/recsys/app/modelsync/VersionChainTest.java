package io.recsys.app.modelsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.app.modelsync.ModelUpdates.Assembled;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.PublishedWeights;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionChainTest {
  @TempDir Path dir;

  private final NextItemModel trainer =
      NextItemModel.create(
          ModelConfig.builder()
              .embeddingSize(8)
              .hiddenSize(16)
              .sequenceLength(5)
              .learningRate(0.05)
              .build(),
          new VocabularyConfig(8, 8, 1, 0));
  private final PublishedWeights published = PublishedWeights.of(trainer, 0.0);
  private int step;

  /** Trains on a few examples with new items, so the vocabulary grows too. */
  private void train() {
    List<TrainingExample> batch = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int item = step * 3 + i;
      batch.add(
          new TrainingExample(List.of("i" + item, "i" + (item + 1)), "i" + (item + 2), 1.0, step));
    }
    step++;
    trainer.train(batch);
  }

  private Assembled snapshot(String name) throws IOException {
    Path file = dir.resolve(name + ".zip");
    trainer.saveForServing(file);
    published.advanceTo(trainer); // what a snapshot hands serving, as the trainer does
    return new Assembled(version(name), java.nio.file.Files.readAllBytes(file), null, null);
  }

  private Assembled delta(String name, String base) {
    return new Assembled(version(name), published.advanceTo(trainer).toBytes(), null, base);
  }

  private static ModelVersion version(String name) {
    return new ModelVersion(name, 1L, 1L);
  }

  private List<?> lists(NextItemModel model) {
    return model.recommend(List.of(List.of("i1"), List.of("i4", "i5"), List.of("i9")), 4);
  }

  @Test
  void shouldLoadTheNewestSnapshotAndApplyTheDeltasAfterIt() throws IOException {
    VersionChain chain = new VersionChain();
    train();
    chain.add(snapshot("m-1"), null);
    train();
    chain.add(delta("m-2", "m-1"), null);
    train();
    chain.add(snapshot("m-3"), null);
    train();
    chain.add(delta("m-4", "m-3"), null);
    train();
    chain.add(delta("m-5", "m-4"), null);

    VersionChain.Built built = chain.build(null).orElseThrow();

    assertThat(built.version().version()).isEqualTo("m-5");
    assertThat(built.deltas()).isEqualTo(2);
    assertThat(lists(built.model())).isEqualTo(lists(trainer));
    assertThat(chain.hasPending()).isFalse();

    // Later deltas continue the served model.
    train();
    assertThat(chain.add(delta("m-6", "m-5"), "m-5")).isTrue();
    VersionChain.Built next = chain.build(built.model()).orElseThrow();
    assertThat(next.version().version()).isEqualTo("m-6");
    assertThat(lists(next.model())).isEqualTo(lists(trainer));
  }

  @Test
  void shouldSkipADeltaThatDoesNotContinueTheServedVersion() throws IOException {
    VersionChain chain = new VersionChain();
    train();
    Assembled first = snapshot("m-1");
    train();
    // A reader that started after m-1 (or refused it) cannot use m-2.
    assertThat(chain.add(delta("m-2", "m-1"), null)).isFalse();
    assertThat(chain.add(delta("m-3", "m-2"), "v7")).isFalse();
    assertThat(chain.hasPending()).isFalse();
    assertThat(chain.skippedDeltas()).isEqualTo(2);

    chain.add(first, null);
    assertThat(chain.build(null).orElseThrow().version().version()).isEqualTo("m-1");
  }

  @Test
  void shouldRefuseACorruptSnapshotAndSkipTheDeltasOnIt() throws IOException {
    VersionChain chain = new VersionChain();
    train();
    Assembled good = snapshot("m-1");
    chain.add(good, null);
    NextItemModel served = chain.build(null).orElseThrow().model();

    List<?> before = lists(served);
    chain.add(new Assembled(version("m-2"), new byte[] {1, 2, 3}, null, null), "m-1");
    assertThatThrownBy(() -> chain.build(served)).isInstanceOf(IOException.class);
    assertThat(lists(served)).isEqualTo(before);

    train();
    assertThat(chain.add(delta("m-3", "m-2"), "m-1")).isFalse();
  }

  @Test
  void shouldCopyALaterSnapshotIntoTheServedModelFromItsChunks() throws IOException {
    VersionChain chain = new VersionChain();
    train();
    chain.add(snapshot("m-1"), null);
    NextItemModel served = chain.build(null).orElseThrow().model();
    for (int i = 0; i < 5; i++) {
      train();
    }
    Assembled whole = snapshot("m-6");
    byte[] bytes = whole.payload();
    int third = bytes.length / 3;
    Assembled chunked =
        new Assembled(
            whole.version(),
            List.of(
                java.util.Arrays.copyOfRange(bytes, 0, third),
                java.util.Arrays.copyOfRange(bytes, third, 2 * third),
                java.util.Arrays.copyOfRange(bytes, 2 * third, bytes.length)),
            null,
            null);
    chain.add(chunked, "m-1");

    VersionChain.Built built = chain.build(served).orElseThrow();

    assertThat(built.model()).isSameAs(served);
    assertThat(built.fromSnapshot()).isTrue();
    assertThat(built.bytes()).isEqualTo(bytes.length);
    assertThat(lists(served)).isEqualTo(lists(trainer));
  }

  @Test
  void shouldLoadASnapshotOfOtherHyperparametersBesideTheServedModel() throws IOException {
    VersionChain chain = new VersionChain();
    train();
    chain.add(snapshot("m-1"), null);
    NextItemModel served = chain.build(null).orElseThrow().model();
    List<?> before = lists(served);
    NextItemModel other =
        NextItemModel.create(
            trainer.config().toBuilder().hiddenSize(12).build(), new VocabularyConfig(8, 8, 1, 0));
    other.train(List.of(new TrainingExample(List.of("i1", "i2"), "i3", 1.0, 0)));
    Path file = dir.resolve("other.zip");
    other.saveForServing(file);
    chain.add(
        new Assembled(version("v2"), java.nio.file.Files.readAllBytes(file), null, null), "m-1");

    VersionChain.Built built = chain.build(served).orElseThrow();

    assertThat(built.model()).isNotSameAs(served);
    assertThat(built.model().config().hiddenSize()).isEqualTo(12);
    assertThat(lists(served)).isEqualTo(before);
  }

  @Test
  void shouldLoadAPromotedVersionBesideTheServedModelEvenWhereItWouldFit() throws IOException {
    VersionChain chain = new VersionChain();
    train();
    chain.add(snapshot("m-1"), null);
    NextItemModel served = chain.build(null).orElseThrow().model();
    train();
    Assembled trained = snapshot("v1");
    chain.add(
        new Assembled(trained.version(), trained.chunks(), ModelUpdates.ORIGIN_REGISTRY, null),
        "m-1");

    VersionChain.Built built = chain.build(served).orElseThrow();

    assertThat(built.model()).isNotSameAs(served);
    assertThat(lists(built.model())).isEqualTo(lists(trainer));
  }
}
