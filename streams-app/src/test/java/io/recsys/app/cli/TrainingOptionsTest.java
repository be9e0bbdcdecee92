package io.recsys.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.model.Hyperparameter;
import io.recsys.model.LossType;
import io.recsys.model.evaluation.EvaluationSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainingOptionsTest {
  @TempDir Path dir;

  private static TrainingOptions parse(String... args) {
    TrainingOptions options = new TrainingOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void shouldUseEvaluatesDefaultsWhenNothingIsGiven() throws Exception {
    EvaluationSettings s = parse().resolve();
    assertThat(s).isEqualTo(EvaluationSettings.defaults(30));
  }

  @Test
  void shouldLetFlagsBeatTheFileAndTheFileBeatDefaults() throws Exception {
    Path file = dir.resolve("h.properties");
    Files.writeString(file, "epochs=3\nhidden-size=16\nloss=sampled\nseed=7\n");
    EvaluationSettings s = parse("--hyperparameters", file.toString(), "--epochs", "5").resolve();
    assertThat(s.maxEpochs()).isEqualTo(5);
    assertThat(s.model().hiddenSize()).isEqualTo(16);
    assertThat(s.model().loss()).isEqualTo(LossType.SAMPLED_SOFTMAX);
    assertThat(s.model().seed()).isEqualTo(7);
    assertThat(s.patience()).isEqualTo(4);
  }

  @Test
  void shouldTakeTheOutputRowsScaleFromTheDataUnlessItIsChosen() throws Exception {
    assertThat(parse().resolve().outputRateFromData()).isTrue();
    assertThat(parse("--output-learning-rate-scale", "4").resolve().outputRateFromData()).isFalse();
    Path file = dir.resolve("scale.properties");
    Files.writeString(file, "output-learning-rate-scale=2\n");
    EvaluationSettings fromFile = parse("--hyperparameters", file.toString()).resolve();
    assertThat(fromFile.outputRateFromData()).isFalse();
    assertThat(fromFile.model().outputLearningRateScale()).isEqualTo(2.0);
  }

  @Test
  void shouldReadJsonFiles() throws Exception {
    Path file = dir.resolve("h.json");
    Files.writeString(file, "{\"learning-rate\": 0.01, \"patience\": 2}");
    EvaluationSettings s = parse("--hyperparameters", file.toString()).resolve();
    assertThat(s.model().learningRate()).isEqualTo(0.01);
    assertThat(s.patience()).isEqualTo(2);
  }

  @Test
  void shouldNameTheFileAndKeyOfABadEntry() throws Exception {
    Path file = dir.resolve("h.properties");
    Files.writeString(file, "hiden-size=16\n");
    assertThatThrownBy(() -> parse("--hyperparameters", file.toString()).resolve())
        .hasMessageContaining("unknown key 'hiden-size'");
    Files.writeString(file, "epochs=many\n");
    assertThatThrownBy(() -> parse("--hyperparameters", file.toString()).resolve())
        .hasMessageContaining("epochs must be an integer, got 'many'");
  }

  @Test
  void shouldOfferAFlagAndAFileKeyForEveryHyperparameter() {
    CommandLine line = new CommandLine(new TrainingOptions());
    for (Hyperparameter h : Hyperparameter.values()) {
      assertThat(line.getCommandSpec().findOption("--" + h.key())).as(h.key()).isNotNull();
      assertThat(TrainingOptions.FILE_KEYS).contains(h.key());
    }
  }

  @Test
  void shouldLetAHyperparameterFlagBeatTheFile() throws Exception {
    Path file = dir.resolve("h.properties");
    Files.writeString(file, "dropout=0.1\nloss=sampled\n");
    EvaluationSettings s =
        parse("--hyperparameters", file.toString(), "--dropout", "0.3", "--negatives", "64")
            .resolve();
    assertThat(s.model().dropout()).isEqualTo(0.3);
    assertThat(s.model().loss()).isEqualTo(LossType.SAMPLED_SOFTMAX);
    assertThat(s.model().negatives()).isEqualTo(64);
  }

  @Test
  void shouldRejectAnOutOfRangeHyperparameterInTheFileNamingFileAndKey() throws Exception {
    Path file = dir.resolve("h.properties");
    Files.writeString(file, "dropout=1.5\n");
    assertThatThrownBy(() -> parse("--hyperparameters", file.toString()).resolve())
        .hasMessageContaining(file.toString())
        .hasMessageContaining("dropout must be in [0.0, 0.9], got 1.5");
  }
}
