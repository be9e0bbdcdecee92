package io.recsys.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code movielens:DIR} value of {@code --data} and {@code --load}, checked before anything
 * starts: the prefix, that DIR exists, and that it holds a ratings file this version reads.
 */
final class DataSourceArgument {
  static final String MOVIELENS_PREFIX = "movielens:";

  private DataSourceArgument() {}

  /**
   * The MovieLens directory named by {@code value}.
   *
   * @param flag the flag's name, for the message
   * @param alternatives what else {@code flag} accepts (for the message), such as "synthetic or "
   * @throws UsageError naming the flag, the value and what to give instead
   */
  static Path movieLens(String flag, String value, String alternatives) {
    if (!value.startsWith(MOVIELENS_PREFIX)) {
      throw new UsageError(
          flag
              + ": expected "
              + alternatives
              + "movielens:DIR, got '"
              + value
              + "'"
              + (Files.isDirectory(Path.of(value))
                  ? "; for a MovieLens directory write movielens:" + value
                  : ""));
    }
    Path dir = Path.of(value.substring(MOVIELENS_PREFIX.length()));
    if (!Files.isDirectory(dir)) {
      throw new UsageError(flag + " " + value + ": no such directory " + dir);
    }
    if (!Files.isRegularFile(dir.resolve("ratings.dat"))
        && !Files.isRegularFile(dir.resolve("u.data"))) {
      String csv =
          Files.isRegularFile(dir.resolve("ratings.csv"))
              ? "; it holds ratings.csv, the newer MovieLens layout, which this version does not"
                  + " read"
              : "";
      throw new UsageError(
          flag
              + " "
              + value
              + ": "
              + dir
              + " holds neither ratings.dat (ML-1M) nor u.data (ML-100K)"
              + csv
              + ".");
    }
    return dir;
  }

  /** The directory of a {@code movielens:DIR} value, or empty for {@code synthetic}. */
  static Optional<Path> syntheticOrMovieLens(String flag, String value) {
    if (value.equals("synthetic")) {
      return Optional.empty();
    }
    return Optional.of(movieLens(flag, value, "synthetic or "));
  }
}
