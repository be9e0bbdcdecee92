package io.recsys.app.registry;

/** A registry version that cannot be rolled out; the message names the version and the reason. */
public final class ModelRefusedException extends Exception {
  private final int version;

  public ModelRefusedException(int version, String reason, Throwable cause) {
    super("model v" + version + " refused: " + reason, cause);
    this.version = version;
  }

  public int version() {
    return version;
  }
}
