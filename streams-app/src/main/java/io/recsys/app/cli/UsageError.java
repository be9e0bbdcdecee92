package io.recsys.app.cli;

/**
 * A mistake in what the user asked for (a flag's value, a file, a data set), found while a command
 * runs rather than while picocli parses: reported as one line, exit status 2.
 */
final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was wrong, where, and what to do
   */
  UsageError(String message) {
    super(message);
  }
}
