package io.recsys.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.model.Hyperparameter;
import io.recsys.model.LossType;
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
    assertThat(settings.ingest().eventWeights())
        .containsKeys("view", "click", "cart", "purchase", "rating");
    assertThat(settings.serving().topK()).isEqualTo(10);
  }

  @Test
  void shouldIgnoreKafkaSettingsAndParseOurs() {
    RecsysSettings settings =
        RecsysConfig.parse(
            Map.of(
                "bootstrap.servers",
                "b:9092",
                RecsysConfig.EVENT_WEIGHTS_CONFIG,
                "Like:1.5, buy:10",
                RecsysConfig.TOP_K_CONFIG,
                "20"));

    assertThat(settings.ingest().eventWeights()).isEqualTo(Map.of("like", 1.5, "buy", 10.0));
    assertThat(settings.serving().topK()).isEqualTo(20);
  }

  @Test
  void shouldBuildTheStreamingModelFromTheModelSettings() {
    RecsysSettings settings =
        RecsysConfig.parse(
            Map.<String, Object>of(
                RecsysConfig.modelKey(Hyperparameter.EMBEDDING_SIZE), "24",
                RecsysConfig.modelKey(Hyperparameter.HIDDEN_SIZE), "40",
                RecsysConfig.modelKey(Hyperparameter.SEQUENCE_LENGTH), "7",
                RecsysConfig.modelKey(Hyperparameter.LEARNING_RATE), "0.05",
                RecsysConfig.modelKey(Hyperparameter.BACKPROP_STEPS), "3",
                RecsysConfig.modelKey(Hyperparameter.DROPOUT), "0.1",
                RecsysConfig.modelKey(Hyperparameter.OUTPUT_LEARNING_RATE_SCALE), "2.5"));

    ModelConfig model = settings.model();

    assertThat(model.embeddingSize()).isEqualTo(24);
    assertThat(model.hiddenSize()).isEqualTo(40);
    assertThat(model.sequenceLength()).isEqualTo(7);
    assertThat(model.learningRate()).isEqualTo(0.05);
    assertThat(model.backpropSteps()).isEqualTo(3);
    assertThat(model.dropout()).isEqualTo(0.1);
    assertThat(model.outputLearningRateScale()).isEqualTo(2.5);
    assertThat(
            model.toBuilder()
                .embeddingSize(64)
                .hiddenSize(128)
                .sequenceLength(200)
                .learningRate(0.002)
                .backpropSteps(5)
                .dropout(0.25)
                .outputLearningRateScale(1.0)
                .build())
        .isEqualTo(ModelConfig.defaults());
  }

  @Test
  void shouldMakeASettingOfEveryHyperparameterNamedAfterIt() {
    for (Hyperparameter h : Hyperparameter.values()) {
      assertThat(RecsysConfig.CONFIG_DEF.names()).contains("recsys.model." + h.dottedKey());
    }
    RecsysSettings settings =
        RecsysConfig.parse(
            Map.of(
                RecsysConfig.MODEL_LOSS_CONFIG,
                "sampled",
                RecsysConfig.modelKey(Hyperparameter.SEED),
                "9",
                RecsysConfig.modelKey(Hyperparameter.NEGATIVES),
                "64"));
    assertThat(settings.model().loss()).isEqualTo(LossType.SAMPLED_SOFTMAX);
    assertThat(settings.model().seed()).isEqualTo(9);
    assertThat(settings.model().negatives()).isEqualTo(64);
  }

  @Test
  void shouldRejectAnOutOfRangeHyperparameterNamingItsSetting() {
    assertThatThrownBy(
            () -> RecsysConfig.parse(Map.of(RecsysConfig.modelKey(Hyperparameter.DROPOUT), "0.95")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recsys.model.dropout");
    assertThatThrownBy(() -> RecsysConfig.parse(Map.of(RecsysConfig.MODEL_LOSS_CONFIG, "FULL")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("recsys.model.loss");
  }

  @Test
  void shouldTrainTheStreamingModelWithoutDropoutByDefault() {
    // Online training sees each example once: dropout cost HR@10 on ML-1M (docs/BENCHMARKS.md),
    // so the streaming default departs from the offline one.
    assertThat(RecsysConfig.defaults().model().dropout()).isZero();
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
  void shouldDocumentEverySettingInTheConfigurationReference() throws IOException {
    Path reference =
        Path.of(System.getProperty("user.dir")).resolve("../docs/CONFIG.md").normalize();
    String text = Files.readString(reference, StandardCharsets.UTF_8);

    assertThat(text)
        .as(
            "docs/CONFIG.md must contain the tables printed by `bin/recsys config`;"
                + " run bin/update-config-docs")
        .contains(RecsysConfig.markdownTable());
  }
}
