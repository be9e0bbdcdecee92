package io.recsys.app.testing;

import io.recsys.app.registry.Provenance;
import io.recsys.model.ModelConfig;
import io.recsys.model.NextItemModel;
import io.recsys.model.TrainingExample;
import io.recsys.model.VocabularyConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small real models and provenance for registry tests: trained in a blink, saved for real. */
public final class TestModels {
  private TestModels() {}

  /**
   * Trains a model on users who move from {@code item-k} to {@code item-(k+stride)} over {@code
   * items} items and saves its full checkpoint to {@code file}.
   */
  public static Path trainCycle(Path file, int sequenceLength, int items, int stride, int batches)
      throws IOException {
    ModelConfig config =
        ModelConfig.defaults().toBuilder()
            .embeddingSize(16)
            .hiddenSize(32)
            .learningRate(0.03)
            .sequenceLength(sequenceLength)
            .build();
    try (NextItemModel model = NextItemModel.create(config, VocabularyConfig.defaults())) {
      for (int batch = 0; batch < batches; batch++) {
        List<TrainingExample> examples = new ArrayList<>();
        for (int item = 0; item < items; item++) {
          examples.add(
              new TrainingExample(
                  List.of("item-" + item),
                  "item-" + ((item + stride) % items),
                  1.0,
                  1000L + batch));
        }
        model.train(examples);
      }
      model.save(file);
    }
    return file;
  }

  public static Provenance provenance(long records) {
    return new Provenance(
        "kafka:training-examples",
        null,
        1_700_000_000_000L,
        List.of(new Provenance.PartitionRange("training-examples", 0, 0, records)),
        records,
        Map.of("sequenceLength", 20),
        42L,
        "test",
        System.currentTimeMillis());
  }
}
