package io.recsys.app.registry;

import io.recsys.app.config.RecsysSettings;
import io.recsys.model.NextItemModel;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Decides whether a registry version may go live under the running configuration, before anything
 * is published: its checkpoint must load, and what serving and the online trainer assume of the
 * model must hold for it.
 */
public final class CompatibilityCheck {
  private final RecsysSettings settings;

  public CompatibilityCheck(RecsysSettings settings) {
    this.settings = settings;
  }

  /** What a check found out about a version that passed. */
  public record Checked(int items, long updates, long examplesTrained, int sequenceLength) {}

  /**
   * Loads {@code model}'s checkpoint and checks it.
   *
   * @throws ModelRefusedException naming the version and why it cannot go live
   */
  public Checked check(RegisteredModel model) throws ModelRefusedException {
    if (!Files.isRegularFile(model.checkpoint())) {
      throw new ModelRefusedException(
          model.version(), "its checkpoint " + model.checkpoint() + " is missing", null);
    }
    NextItemModel loaded;
    try {
      loaded = NextItemModel.load(model.checkpoint());
    } catch (IOException | RuntimeException e) {
      throw new ModelRefusedException(
          model.version(),
          "its checkpoint " + model.checkpoint() + " does not load (" + describe(e) + ")",
          e);
    }
    try (loaded) {
      // The trainer and serving cut histories to recsys.model.sequence.length items; a model
      // trained on other lengths would be fed sequences it never saw.
      int length = loaded.config().sequenceLength();
      if (length != settings.model().sequenceLength()) {
        throw new ModelRefusedException(
            model.version(),
            "its sequence length is "
                + length
                + " but recsys.model.sequence.length is "
                + settings.model().sequenceLength(),
            null);
      }
      int items = loaded.vocabulary().size();
      if (items == 0) {
        throw new ModelRefusedException(
            model.version(), "its vocabulary is empty: it could recommend nothing", null);
      }
      return new Checked(
          items, loaded.updateCount(), loaded.examplesTrained(), loaded.config().sequenceLength());
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
