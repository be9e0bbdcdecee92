package io.recsys.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.recsys.app.config.RecsysConfig;
import io.recsys.app.registry.ModelRegistry;
import io.recsys.app.registry.PromotionHistory;
import io.recsys.app.testing.TestModels;
import io.recsys.schemas.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code models} commands up to the point where they would reach Kafka: listing, showing and
 * every refusal happen before any client connects, so the configured broker is never contacted.
 */
class ModelsCommandTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;
  private Path config;
  private ModelRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    registry = new ModelRegistry(dir.resolve("models"));
    config = dir.resolve("recsys.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            // Nothing listens here: a command that got as far as Kafka would fail with another
            // message.
            "bootstrap.servers=127.0.0.1:9",
            RecsysConfig.REGISTRY_DIR_CONFIG + "=" + registry.root(),
            RecsysConfig.MODEL_SEQUENCE_LENGTH_CONFIG + "=20"));
  }

  @AfterEach
  void tearDown() {
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private int run(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    return RecsysCommand.commandLine().execute(all);
  }

  private JsonNode summary() throws Exception {
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    return Json.newMapper().readTree(lines.get(lines.size() - 1));
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void register(Path checkpoint, Map<String, Object> evaluation) throws Exception {
    registry.register(checkpoint, TestModels.provenance(400), evaluation);
  }

  @Test
  void shouldListVersionsWithTheirFiguresAndWhichIsLive() throws Exception {
    Path checkpoint = Files.write(dir.resolve("c.zip"), new byte[] {1});
    register(checkpoint, Map.of("ndcg@10", 0.3125, "hr@10", 0.5));
    register(
        checkpoint, Map.of("model", Map.of("NDCG_10", 0.25), "popularity", Map.of("ndcg@10", 0.1)));
    new PromotionHistory(registry.root())
        .append(new io.recsys.app.registry.Promotion("promote", 2, null, 1));

    int status = run("models", "list", "--json");

    assertThat(status).isZero();
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table).contains("VERSION").contains("v1").contains("0.3125").contains("0.5000");
    assertThat(table).contains("kafka:training-examples");
    JsonNode json = summary();
    assertThat(json.get("live").asInt()).isEqualTo(2);
    assertThat(json.get("versions")).hasSize(2);
    assertThat(json.get("versions").get(1).get("ndcg_at_10").asDouble()).isEqualTo(0.25);
    assertThat(json.get("versions").get(1).get("live").asBoolean()).isTrue();
    assertThat(json.get("versions").get(0).get("live").asBoolean()).isFalse();
  }

  @Test
  void shouldShowProvenanceAndEvaluationOfAVersionWrittenEitherWay() throws Exception {
    register(Files.write(dir.resolve("c.zip"), new byte[] {1}), Map.of("ndcg@10", 0.3125));

    assertThat(run("models", "show", "1", "--json")).isZero();
    assertThat(summary().get("provenance").get("records").asLong()).isEqualTo(400);
    out.reset();
    assertThat(run("models", "show", "v1", "--json")).isZero();
    assertThat(summary().get("evaluation").get("ndcg@10").asDouble()).isEqualTo(0.3125);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("kafka:training-examples");
  }

  @Test
  void shouldFailClearlyOnAnUnknownOrMalformedVersion() throws Exception {
    assertThat(run("models", "show", "v9", "--json")).isEqualTo(1);
    assertThat(stderr()).contains("model v9 is not in the registry");
    assertThat(summary().get("error").asText()).contains("v9");

    assertThat(run("models", "show", "nine")).isEqualTo(1);
    assertThat(stderr()).contains("'nine'");

    assertThat(run("models", "promote", "v9")).isEqualTo(1);
    assertThat(stderr()).contains("model v9 is not in the registry");
  }

  @Test
  void shouldRefuseACorruptCheckpointAndPublishNothing() throws Exception {
    Path garbage = Files.write(dir.resolve("garbage.zip"), "not a zip at all".getBytes());
    register(garbage, Map.of());

    assertThat(run("models", "promote", "1", "--json")).isEqualTo(1);

    assertThat(stderr()).contains("model v1 refused").contains("does not load");
    assertThat(summary().get("error").asText()).contains("v1");
    assertThat(new PromotionHistory(registry.root()).entries()).isEmpty();
  }

  @Test
  void shouldRefuseATruncatedCheckpoint() throws Exception {
    Path good = TestModels.trainCycle(dir.resolve("good.zip"), 20, 12, 1, 2);
    byte[] bytes = Files.readAllBytes(good);
    register(Files.write(dir.resolve("cut.zip"), Arrays.copyOf(bytes, bytes.length / 2)), Map.of());

    assertThat(run("models", "promote", "v1")).isEqualTo(1);

    assertThat(stderr()).contains("model v1 refused").contains("does not load");
    assertThat(new PromotionHistory(registry.root()).entries()).isEmpty();
  }

  @Test
  void shouldRefuseACheckpointOfAnotherSequenceLength() throws Exception {
    register(TestModels.trainCycle(dir.resolve("short.zip"), 5, 12, 1, 2), Map.of());

    assertThat(run("models", "promote", "1")).isEqualTo(1);

    assertThat(stderr())
        .contains("model v1 refused")
        .contains("sequence length is 5 but recsys.model.sequence.length is 20");
    assertThat(new PromotionHistory(registry.root()).entries()).isEmpty();
  }

  @Test
  void shouldRefuseARollbackWithNothingToRollBackTo() throws Exception {
    assertThat(run("models", "rollback", "--json")).isEqualTo(1);
    assertThat(stderr()).contains("nothing to roll back to: no version was ever promoted");

    new PromotionHistory(registry.root())
        .append(new io.recsys.app.registry.Promotion("promote", 1, null, 1));
    assertThat(run("models", "rollback")).isEqualTo(1);
    assertThat(stderr()).contains("nothing to roll back to: v1 is the only version promoted");
  }
}
