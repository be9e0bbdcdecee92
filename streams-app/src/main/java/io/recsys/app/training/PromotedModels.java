package io.recsys.app.training;

import io.recsys.app.modelsync.ModelUpdates;
import io.recsys.model.NextItemModel;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which promoted registry versions the trainer may continue: a registry name ({@code v<N>}), a
 * payload that loads, and the sequence length the pipeline's examples are cut to. A refused version
 * is logged and the trainer continues its own model.
 */
final class PromotedModels {
  private static final Logger LOG = LoggerFactory.getLogger(PromotedModels.class);

  private PromotedModels() {}

  /**
   * The promoted model, loaded, or empty when it is refused.
   *
   * @param sequenceLength {@code recsys.model.sequence.length}
   * @param continuing the version the trainer continues if this one is refused (for the log)
   */
  static Optional<NextItemModel> load(
      ModelUpdates.Assembled promoted, int sequenceLength, String continuing) {
    String name = promoted.version().version();
    if (!name.matches("v[1-9][0-9]*")) {
      // Registry versions are v<N>; anything else is not ours to continue or to name after.
      LOG.error("Refused promoted model '{}': not a registry version name (v<N>)", name);
      return Optional.empty();
    }
    NextItemModel loaded;
    try {
      loaded = NextItemModel.load(promoted.open(), "promoted model " + name);
    } catch (java.io.IOException | RuntimeException e) {
      LOG.error(
          "Refused promoted model {}: it does not load; training continues {}",
          name,
          continuing,
          e);
      return Optional.empty();
    }
    int length = loaded.config().sequenceLength();
    if (length != sequenceLength) {
      LOG.error(
          "Refused promoted model {}: its sequence length is {} but recsys.model.sequence.length"
              + " is {}; training continues {}",
          name,
          length,
          sequenceLength,
          continuing);
      loaded.close();
      return Optional.empty();
    }
    return Optional.of(loaded);
  }
}
