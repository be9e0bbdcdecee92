package io.recsys.app.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.recsys.model.Hyperparameter;
import io.recsys.model.ModelConfig;
import io.recsys.model.evaluation.EvaluationSettings;
import io.recsys.model.evaluation.TrainingMode;
import io.recsys.schemas.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

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

  /** The training-run keys a hyperparameter file may use besides the model's hyperparameters. */
  private static final Set<String> RUN_KEYS =
      Set.of(
          "epochs", "patience", "lanes", "window", "plateau-decay", "average-epochs", "training");

  /** The names a hyperparameter file may use: the long flags without their dashes. */
  static final Set<String> FILE_KEYS = fileKeys();

  private static Set<String> fileKeys() {
    Set<String> keys = new java.util.TreeSet<>(RUN_KEYS);
    for (Hyperparameter h : Hyperparameter.values()) {
      keys.add(h.key());
    }
    return Set.copyOf(keys);
  }

  /** The model's hyperparameters given as flags; absent ones come from the file or defaults. */
  private final Map<Hyperparameter, Object> modelFlags = new EnumMap<>(Hyperparameter.class);

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
      names = "--average-epochs",
      description =
          "After each epoch also judge the mean weights of the last N epochs on validation, and"
              + " keep them where they beat every single epoch (1 = off; costs one more"
              + " validation pass per epoch). Default: "
              + EvaluationSettings.DEFAULT_AVERAGED_EPOCHS
              + ".")
  Integer averageEpochs;

  @Option(
      names = "--training",
      description =
          "FULL_SEQUENCE (every position a target) or INCREMENTAL (the streaming train() path)."
              + " Default: FULL_SEQUENCE.")
  TrainingMode trainingMode;

  /**
   * Adds one option per model hyperparameter ({@code --<key>}, from {@link Hyperparameter}) to this
   * option set's own spec; picocli calls it while building the spec, before a command that mixes
   * these options in copies them.
   */
  @Spec(Spec.Target.SELF)
  void addModelOptions(CommandSpec self) {
    ModelConfig defaults = ModelConfig.defaults();
    for (Hyperparameter h : Hyperparameter.values()) {
      self.addOption(
          OptionSpec.builder("--" + h.key())
              .paramLabel(h.kind() == Hyperparameter.Kind.LOSS ? "full|sampled" : "<value>")
              .type(h.valueType())
              .converters(
                  text -> {
                    try {
                      return h.parse(text);
                    } catch (IllegalArgumentException e) {
                      throw new TypeConversionException(e.getMessage());
                    }
                  })
              .description(h.doc() + " Default: " + defaultText(h, defaults) + ".")
              .setter(
                  new ISetter() {
                    @Override
                    public <T> T set(T value) {
                      if (value != null) {
                        modelFlags.put(h, value);
                      }
                      return null;
                    }
                  })
              .build());
    }
  }

  private static String defaultText(Hyperparameter h, ModelConfig defaults) {
    if (h == Hyperparameter.OUTPUT_LEARNING_RATE_SCALE) {
      return "from the data, 2000 / training examples per item as a power of two from 1 to 32";
    }
    return String.valueOf(h.get(defaults));
  }

  /**
   * The settings: flags, then the file, then the defaults.
   *
   * @throws IllegalArgumentException naming the file and key of an unknown or ill-typed entry, or
   *     the setting that is out of range
   */
  public EvaluationSettings resolve() throws IOException {
    Map<String, String> file = hyperparameterFile == null ? Map.of() : readFile(hyperparameterFile);
    Values v = new Values(file, hyperparameterFile);
    ModelConfig.Builder model = ModelConfig.builder();
    for (Hyperparameter h : Hyperparameter.values()) {
      Object value = modelFlags.containsKey(h) ? modelFlags.get(h) : v.hyperparameter(h);
      if (value != null) {
        h.set(model, value);
      }
    }
    ModelConfig c = model.build();
    return new EvaluationSettings(
        c,
        orDefault(pick(epochs, v.integer("epochs")), DEFAULT_EPOCHS),
        orDefault(pick(patience, v.integer("patience")), DEFAULT_PATIENCE),
        orDefault(pick(lanes, v.integer("lanes")), DEFAULT_LANES),
        orDefault(pick(window, v.integer("window")), DEFAULT_WINDOW),
        orDefault(
            pick(trainingMode, v.enumValue("training", TrainingMode.class)),
            TrainingMode.FULL_SEQUENCE),
        orDefault(pick(plateauDecay, v.decimal("plateau-decay")), DEFAULT_PLATEAU_DECAY),
        // Unless chosen, the output rows' step follows the data's examples per item.
        !modelFlags.containsKey(Hyperparameter.OUTPUT_LEARNING_RATE_SCALE)
            && v.hyperparameter(Hyperparameter.OUTPUT_LEARNING_RATE_SCALE) == null,
        orDefault(
            pick(averageEpochs, v.integer("average-epochs")),
            EvaluationSettings.DEFAULT_AVERAGED_EPOCHS));
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
      properties
          .stringPropertyNames()
          .forEach(key -> entries.put(key, properties.getProperty(key)));
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

    /** The file's value of {@code h}, parsed and range-checked, or null. */
    Object hyperparameter(Hyperparameter h) {
      String text = entries.get(h.key());
      if (text == null) {
        return null;
      }
      try {
        return h.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--hyperparameters " + file + ": " + e.getMessage());
      }
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
            "--hyperparameters "
                + file
                + ": "
                + key
                + " must be "
                + expected
                + ", got '"
                + text
                + "'");
      }
    }
  }
}
