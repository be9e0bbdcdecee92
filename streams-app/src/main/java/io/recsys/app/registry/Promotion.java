package io.recsys.app.registry;

/**
 * One line of the promotion history: a registry version was made live.
 *
 * @param action {@link #PROMOTE} or {@link #ROLLBACK}
 * @param version the version made live
 * @param previous the version live before, or null when none was (the trainer's own model)
 * @param at wall-clock time of the publication, epoch ms
 */
public record Promotion(String action, int version, Integer previous, long at) {
  public static final String PROMOTE = "promote";
  public static final String ROLLBACK = "rollback";

  public Promotion {
    if (!PROMOTE.equals(action) && !ROLLBACK.equals(action)) {
      throw new IllegalArgumentException(
          "action: must be " + PROMOTE + " or " + ROLLBACK + ", got " + action);
    }
    if (version < 1) {
      throw new IllegalArgumentException("version: must be at least 1, got " + version);
    }
  }
}
