package io.recsys.app.eventfiles;

import io.recsys.model.data.Interaction;
import io.recsys.model.data.MovieLensReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The event histories {@code --data}, {@code --load} and {@code --file} name: {@code movielens:DIR}
 * (a folder with {@code ratings.dat}, {@code u.data} or {@code ratings.csv}) or {@code file:PATH}
 * (a CSV, TSV or JSON-lines event file; a bare path to a file means the same).
 */
public final class EventHistories {
  public static final String MOVIELENS = "movielens:";
  public static final String FILE = "file:";

  private EventHistories() {}

  /**
   * Checks {@code spec} before anything starts: the prefix, and that the folder or file is there.
   *
   * @throws IllegalArgumentException saying what is wrong and what to write instead
   */
  public static void check(String spec) {
    if (spec.startsWith(MOVIELENS)) {
      Path dir = Path.of(spec.substring(MOVIELENS.length()));
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(spec + ": no such directory " + dir);
      }
      if (movieLensFile(dir).isEmpty()) {
        throw new IllegalArgumentException(
            spec
                + ": "
                + dir
                + " holds none of ratings.dat (ML-1M), u.data (ML-100K), ratings.csv (current"
                + " MovieLens); for another event file write file:PATH");
      }
      return;
    }
    Path file = file(spec);
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          spec + ": a directory; for a MovieLens folder write movielens:" + file);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "'" + spec + "': no such file (expected movielens:DIR or file:PATH)");
    }
  }

  /**
   * Every event of {@code spec} in time order (ties in file order).
   *
   * @param columns the columns of an event file, or empty to recognise them from its header
   */
  public static List<FileEvent> read(String spec, Optional<ColumnMapping> columns)
      throws IOException {
    try {
      check(spec);
    } catch (IllegalArgumentException e) {
      throw new EventFileException(e.getMessage());
    }
    if (spec.startsWith(MOVIELENS)) {
      Path dir = Path.of(spec.substring(MOVIELENS.length()));
      Path found = movieLensFile(dir).orElseThrow();
      if (found.getFileName().toString().equals("ratings.csv")) {
        return EventFileReader.read(found, columns);
      }
      List<Interaction> ratings = MovieLensReader.read(dir);
      return java.util.stream.IntStream.range(0, ratings.size())
          .mapToObj(
              i -> {
                Interaction r = ratings.get(i);
                return new FileEvent(
                    r.userId(), r.itemId(), "rating", r.rating(), r.timestampMs(), i + 1L);
              })
          .toList();
    }
    return EventFileReader.read(file(spec), columns);
  }

  /** The interactions of {@code spec}, for offline evaluation and retraining. */
  public static List<Interaction> interactions(String spec, Optional<ColumnMapping> columns)
      throws IOException {
    return read(spec, columns).stream().map(FileEvent::toInteraction).toList();
  }

  /** Whether {@code spec} names an event history rather than, for example, {@code synthetic}. */
  public static boolean names(String spec) {
    return spec.startsWith(MOVIELENS)
        || spec.startsWith(FILE)
        || Files.isRegularFile(Path.of(spec));
  }

  private static Path file(String spec) {
    return Path.of(spec.startsWith(FILE) ? spec.substring(FILE.length()) : spec);
  }

  private static Optional<Path> movieLensFile(Path dir) {
    for (String name : List.of("ratings.dat", "u.data", "ratings.csv")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return Optional.of(dir.resolve(name));
      }
    }
    return Optional.empty();
  }
}
