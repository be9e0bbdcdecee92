package io.recsys.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.model.ModelConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RecsysConfigTest {
  @Test
  void shouldHaveUsableDefaults() {
    RecsysSettings settings = RecsysConfig.defaults();

    assertThat(settings.topics().events()).isEqualTo("events");
    assertThat(settings.topics().deadLetters()).isEqualTo("events-dlq");
    assertThat(settings.topics().recommendations()).isEqualTo("recommendations");
    assertThat(settings.eventWeights())
        .containsKeys("view", "click", "cart", "purchase", "rating");
    assertThat(settings.topK()).isEqualTo(10);
  }

  @Test
  void shouldIgnoreKafkaSettingsAndParseOurs() {
    RecsysSettings settings =
        RecsysConfig.parse(
            Map.of(
                "bootstrap.servers", "b:9092",
                RecsysConfig.EVENT_WEIGHTS_CONFIG, "Like:1.5, buy:10",
                RecsysConfig.TOP_K_CONFIG, "20"));

    assertThat(settings.eventWeights()).isEqualTo(Map.of("like", 1.5, "buy", 10.0));
    assertThat(settings.topK()).isEqualTo(20);
  }

  @Test
  void shouldBuildTheStreamingModelFromTheModelSettings() {
    RecsysSettings settings =
        RecsysConfig.parse(
            Map.of(
                RecsysConfig.MODEL_EMBEDDING_SIZE_CONFIG, "24",
                RecsysConfig.MODEL_HIDDEN_SIZE_CONFIG, "40",
                RecsysConfig.MODEL_SEQUENCE_LENGTH_CONFIG, "7",
                RecsysConfig.MODEL_LEARNING_RATE_CONFIG, "0.05",
                RecsysConfig.MODEL_BACKPROP_STEPS_CONFIG, "3",
                RecsysConfig.MODEL_DROPOUT_CONFIG, "0.1",
                RecsysConfig.MODEL_OUTPUT_LEARNING_RATE_SCALE_CONFIG, "2.5"));

    ModelConfig model = settings.learning().modelConfig();

    assertThat(model.embeddingSize()).isEqualTo(24);
    assertThat(model.hiddenSize()).isEqualTo(40);
    assertThat(model.sequenceLength()).isEqualTo(7);
    assertThat(model.learningRate()).isEqualTo(0.05);
    assertThat(model.backpropSteps()).isEqualTo(3);
    assertThat(model.dropout()).isEqualTo(0.1);
    assertThat(model.outputLearningRateScale()).isEqualTo(2.5);
    assertThat(
            model
                .withSizes(64, 128)
                .withSequenceLength(200)
                .withLearningRate(0.002)
                .withBackpropSteps(5)
                .withDropout(0.25)
                .withOutputLearningRateScale(1.0))
        .isEqualTo(ModelConfig.defaults());
  }

  @Test
  void shouldTrainTheStreamingModelWithoutDropoutByDefault() {
    // Online training sees each example once: dropout cost HR@10 on ML-1M (docs/BENCHMARKS.md),
    // so the streaming default departs from the offline one.
    assertThat(RecsysConfig.defaults().learning().modelConfig().dropout()).isZero();
    assertThat(ModelConfig.defaults().dropout()).isEqualTo(0.25);
  }

  @Test
  void shouldRejectUnknownRecsysKeyByName() {
    assertThatThrownBy(() -> RecsysConfig.parse(Map.of("recsys.topic.event", "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recsys.topic.event")
        .hasMessageContaining("unknown recsys setting");
  }

  @Test
  void shouldRejectBadWeightNamingKeyAndEntry() {
    assertThatThrownBy(
            () -> RecsysConfig.parse(Map.of(RecsysConfig.EVENT_WEIGHTS_CONFIG, "view:0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(RecsysConfig.EVENT_WEIGHTS_CONFIG)
        .hasMessageContaining("view:0");
  }

  @Test
  void shouldRejectOutOfRangeValueNamingTheKey() {
    assertThatThrownBy(() -> RecsysConfig.parse(Map.of(RecsysConfig.TOP_K_CONFIG, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(RecsysConfig.TOP_K_CONFIG);
  }

  @Test
  void shouldDocumentEverySettingInTheReadme() throws IOException {
    Path readme = Path.of(System.getProperty("user.dir")).resolve("../README.md").normalize();
    String text = Files.readString(readme, StandardCharsets.UTF_8);

    assertThat(text)
        .as("README.md must contain the table printed by `bin/recsys config`;"
            + " run bin/update-readme-config")
        .contains(RecsysConfig.markdownTable());
  }
}
