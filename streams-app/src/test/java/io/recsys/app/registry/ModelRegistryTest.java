package io.recsys.app.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.app.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir Path dir;

  private Path checkpoint() throws Exception {
    Path file = dir.resolve("source.zip");
    Files.write(file, new byte[] {1, 2, 3});
    return file;
  }

  @Test
  void shouldNumberVersionsFromOneInOrderOfRegistration() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    Path checkpoint = checkpoint();

    RegisteredModel first = registry.register(checkpoint, TestModels.provenance(10), Map.of());
    RegisteredModel second =
        registry.register(checkpoint, TestModels.provenance(20), Map.of("ndcg@10", 0.25));

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.name()).isEqualTo("v1");
    assertThat(second.version()).isEqualTo(2);
    assertThat(Files.readAllBytes(second.checkpoint())).containsExactly(1, 2, 3);
    assertThat(registry.get(2).orElseThrow().evaluation()).containsEntry("ndcg@10", 0.25);
    assertThat(registry.get(2).orElseThrow().provenance().records()).isEqualTo(20);
    assertThat(registry.get(3)).isEmpty();
    assertThat(registry.latestVersion()).contains(2);
  }

  @Test
  void shouldListVersionsNumericallyNotAlphabetically() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    Path checkpoint = checkpoint();
    for (int i = 0; i < 11; i++) {
      registry.register(checkpoint, TestModels.provenance(i), Map.of());
    }

    List<Integer> versions = registry.list().stream().map(RegisteredModel::version).toList();

    // v10 and v11 after v9, though "v10" < "v9" as text
    assertThat(versions).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
  }

  @Test
  void shouldGiveConcurrentRegistrationsDistinctNumbersAndLeaveNoStagingDirectory()
      throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    Path checkpoint = checkpoint();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<RegisteredModel>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < 24; i++) {
        long records = i;
        Callable<RegisteredModel> task =
            () -> registry.register(checkpoint, TestModels.provenance(records), Map.of());
        futures.add(pool.submit(task));
      }
      List<Integer> numbers = new ArrayList<>();
      for (var future : futures) {
        numbers.add(future.get().version());
      }
      assertThat(numbers)
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.rangeClosed(1, 24).boxed().toList());
    } finally {
      pool.shutdown();
    }
    try (Stream<Path> entries = Files.list(registry.root())) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("only whole versions, no .registering- leftovers")
          .allMatch(name -> name.matches("v[0-9]+"));
    }
    // Every version whole: checkpoint, provenance and evaluation present
    for (RegisteredModel model : registry.list()) {
      assertThat(model.checkpoint()).exists();
      assertThat(model.directory().resolve("provenance.json")).exists();
      assertThat(model.directory().resolve("evaluation.json")).exists();
    }
  }

  @Test
  void shouldParseVersionsAsUsersWriteThem() {
    assertThat(ModelRegistry.parseVersion("3")).isEqualTo(3);
    assertThat(ModelRegistry.parseVersion("v12")).isEqualTo(12);
  }

  @Test
  void shouldRejectVersionTextNamingIt() {
    for (String bad : List.of("", "v", "v0", "0", "-1", "3a", "v03", "latest", "V3", "v1.2")) {
      assertThatThrownBy(() -> ModelRegistry.parseVersion(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void shouldListNothingForAMissingDirectory() throws Exception {
    ModelRegistry registry = new ModelRegistry(dir.resolve("absent"));
    assertThat(registry.list()).isEmpty();
    assertThat(registry.latestVersion()).isEmpty();
  }
}
