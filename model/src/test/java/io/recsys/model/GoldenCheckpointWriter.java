package io.recsys.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Regenerates {@code src/test/resources/golden/model-v1.ckpt}. Run only when the checkpoint format
 * changes on purpose (and bump {@link Checkpoints#FORMAT_VERSION}): the old golden file must keep
 * loading, so add a new one rather than replacing it.
 */
final class GoldenCheckpointWriter {
  private GoldenCheckpointWriter() {}

  public static void main(String[] args) throws IOException {
    NextItemModel model =
        NextItemModel.create(
            new ModelConfig(
                8, 16, 10, 3, 0.0, 0.02, 1.0, 0.0, LossType.FULL_SOFTMAX, 20, 0.0, 256, 3L),
            new VocabularyConfig(16, 8, 1, 0));
    SplittableRandom rng = new SplittableRandom(4);
    for (int b = 0; b < 300; b++) {
      model.train(SyntheticData.batch(rng, 32, 20, 4));
    }
    model.setDataPosition("golden:300x32");
    model.save(Path.of(args.length > 0 ? args[0] : "src/test/resources/golden/model-v1.ckpt"));
  }
}
