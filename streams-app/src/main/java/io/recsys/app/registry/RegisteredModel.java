package io.recsys.app.registry;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One numbered version in the {@link ModelRegistry}.
 *
 * @param version 1, 2, ... in order of registration; never reused
 * @param directory where its files are
 * @param provenance how it was made
 * @param evaluation the evaluation report written at registration (figure name to value; nested
 *     maps allowed), empty when none was run
 */
public record RegisteredModel(
    int version, Path directory, Provenance provenance, Map<String, Object> evaluation) {

  public RegisteredModel {
    evaluation = Collections.unmodifiableMap(new LinkedHashMap<>(evaluation));
  }

  /** The full checkpoint: weights, optimiser state and vocabulary, so training can continue. */
  public Path checkpoint() {
    return directory.resolve(ModelRegistry.CHECKPOINT_FILE);
  }

  /** The name serving shows for it, such as {@code v3}. */
  public String name() {
    return "v" + version;
  }
}
