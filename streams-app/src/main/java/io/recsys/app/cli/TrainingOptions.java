package io.recsys.app.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.recsys.model.LossType;
import io.recsys.model.ModelConfig;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.TrainingMode;
import io.recsys.schemas.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The training hyperparameters that {@code evaluate} and {@code retrain} share, as flags and as an
 * override file ({@code --hyperparameters FILE}: properties or JSON with the flags' names, without
 * the dashes). A flag beats the file, the file beats the default.
 *
 * <p>The fields have no picocli defaults on purpose: a null field is what tells "not given on the
 * command line" apart from "given as the default value", which the file precedence needs.
 */
public final class TrainingOptions {
  static final int DEFAULT_EPOCHS = 30;
  static final int DEFAULT_PATIENCE = 4;
  static final int DEFAULT_LANES = 32;
  static final int DEFAULT_WINDOW = 20;
  static final double DEFAULT_PLATEAU_DECAY = 0.5;

  /** The names a hyperparameter file may use: the long flags without their dashes. */
  static final Set<String> FILE_KEYS =
      Set.of(
          "epochs",
          "patience",
          "lanes",
          "window",
          "plateau-decay",
          "training",
          "embedding-size",
          "hidden-size",
          "sequence-length",
          "dropout",
          "learning-rate",
          "loss",
          "seed");

  @Option(
      names = "--hyperparameters",
      paramLabel = "FILE",
      description =
          "Hyperparameter overrides: a .properties or .json file with the names of these flags"
              + " without dashes (epochs, hidden-size, learning-rate, ...). Flags beat the file.")
  Path hyperparameterFile;

  @Option(names = "--epochs", description = "Most training epochs. Default: 30.")
  Integer epochs;

  @Option(
      names = "--patience",
      description = "Stop after this many epochs without a better validation NDCG@10. Default: 4.")
  Integer patience;

  @Option(names = "--lanes", description = "Parallel sequences per batch. Default: 32.")
  Integer lanes;

  @Option(
      names = "--window",
      description = "Truncated-backpropagation window of full-sequence training. Default: 20.")
  Integer window;

  @Option(
      names = "--plateau-decay",
      description =
          "Learning-rate factor after an epoch without a better validation NDCG@10 (1 = off)."
              + " Default: 0.5.")
  Double plateauDecay;

  @Option(
      names = "--training",
      description =
          "FULL_SEQUENCE (every position a target) or INCREMENTAL (the streaming train() path)."
              + " Default: FULL_SEQUENCE.")
  TrainingMode trainingMode;

  @Option(
      names = "--embedding-size",
      description = "Item embedding width (model default if absent).")
  Integer embeddingSize;

  @Option(names = "--hidden-size", description = "LSTM width (model default if absent).")
  Integer hiddenSize;

  @Option(
      names = "--sequence-length",
      description = "Items of history the model reads when scoring (model default if absent).")
  Integer sequenceLength;

  @Option(names = "--dropout", description = "Dropout rate (model default if absent).")
  Double dropout;

  @Option(names = "--learning-rate", description = "Adam step size (model default if absent).")
  Double learningRate;

  @Option(
      names = "--loss",
      description = "FULL_SOFTMAX or SAMPLED_SOFTMAX (model default if absent).")
  LossType loss;

  @Option(
      names = "--seed",
      description =
          "Seed of initialisation, shuffling, dropout and sampling; the run is reproducible from"
              + " it (model default 42 if absent).")
  Long seed;

  /**
   * The settings: flags, then the file, then the defaults.
   *
   * @throws IllegalArgumentException naming the file and key of an unknown or ill-typed entry, or
   *     the setting that is out of range
   */
  public EvaluationSettings resolve() throws IOException {
    Map<String, String> file =
        hyperparameterFile == null ? Map.of() : readFile(hyperparameterFile);
    Values v = new Values(file, hyperparameterFile);
    ModelConfig c = ModelConfig.defaults();
    Integer emb = pick(embeddingSize, v.integer("embedding-size"));
    Integer hid = pick(hiddenSize, v.integer("hidden-size"));
    if (emb != null || hid != null) {
      c =
          c.withSizes(
              emb != null ? emb : c.embeddingSize(), hid != null ? hid : c.hiddenSize());
    }
    Integer len = pick(sequenceLength, v.integer("sequence-length"));
    if (len != null) {
      c = c.withSequenceLength(len);
    }
    Double drop = pick(dropout, v.decimal("dropout"));
    if (drop != null) {
      c = c.withDropout(drop);
    }
    Double rate = pick(learningRate, v.decimal("learning-rate"));
    if (rate != null) {
      c = c.withLearningRate(rate);
    }
    LossType lossType = pick(loss, v.enumValue("loss", LossType.class));
    if (lossType != null) {
      c = c.withLoss(lossType);
    }
    Long s = pick(seed, v.longValue("seed"));
    if (s != null) {
      c = c.withSeed(s);
    }
    return new EvaluationSettings(
        c,
        orDefault(pick(epochs, v.integer("epochs")), DEFAULT_EPOCHS),
        orDefault(pick(patience, v.integer("patience")), DEFAULT_PATIENCE),
        orDefault(pick(lanes, v.integer("lanes")), DEFAULT_LANES),
        orDefault(pick(window, v.integer("window")), DEFAULT_WINDOW),
        orDefault(
            pick(trainingMode, v.enumValue("training", TrainingMode.class)),
            TrainingMode.FULL_SEQUENCE),
        orDefault(pick(plateauDecay, v.decimal("plateau-decay")), DEFAULT_PLATEAU_DECAY));
  }

  /** Reads a properties file, or a JSON object when the name ends in {@code .json}. */
  static Map<String, String> readFile(Path file) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      Map<String, Object> json =
          Json.newMapper().readValue(file.toFile(), new TypeReference<Map<String, Object>>() {});
      json.forEach((key, value) -> entries.put(key, String.valueOf(value)));
    } else {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      properties.stringPropertyNames().forEach(key -> entries.put(key, properties.getProperty(key)));
    }
    for (String key : entries.keySet()) {
      if (!FILE_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "--hyperparameters "
                + file
                + ": unknown key '"
                + key
                + "'; expected one of "
                + new java.util.TreeSet<>(FILE_KEYS));
      }
    }
    return entries;
  }

  private static <T> T pick(T flag, T fromFile) {
    return flag != null ? flag : fromFile;
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** Typed access to the file's entries, with errors that name the file and the key. */
  private record Values(Map<String, String> entries, Path file) {
    Integer integer(String key) {
      return parse(key, "an integer", Integer::valueOf);
    }

    Long longValue(String key) {
      return parse(key, "an integer", Long::valueOf);
    }

    Double decimal(String key) {
      return parse(key, "a number", Double::valueOf);
    }

    <E extends Enum<E>> E enumValue(String key, Class<E> type) {
      return parse(
          key,
          "one of " + java.util.Arrays.toString(type.getEnumConstants()),
          text -> Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT)));
    }

    private <T> T parse(String key, String expected, java.util.function.Function<String, T> f) {
      String text = entries.get(key);
      if (text == null) {
        return null;
      }
      try {
        return f.apply(text.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--hyperparameters " + file + ": " + key + " must be " + expected + ", got '" + text
                + "'");
      }
    }
  }
}
