package io.recsys.model.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a MovieLens ratings file: {@code ratings.dat} (ML-1M, {@code ::}-separated) or {@code
 * u.data} (ML-100K, tab-separated), whichever the directory holds. Timestamps in the files are
 * seconds; the interactions carry milliseconds.
 */
public final class MovieLensReader {
  private static final Pattern DAT_SEPARATOR = Pattern.compile("::");
  private static final Pattern TAB_SEPARATOR = Pattern.compile("\t");

  private MovieLensReader() {}

  /**
   * All interactions of the directory's ratings file, sorted by timestamp. The sort is stable, so
   * interactions with equal timestamps stay in file order (the datasets README's tie rule).
   */
  public static List<Interaction> read(Path dir) throws IOException {
    Path dat = dir.resolve("ratings.dat");
    Path udata = dir.resolve("u.data");
    List<Interaction> interactions;
    if (Files.isRegularFile(dat)) {
      interactions = parse(dat, DAT_SEPARATOR);
    } else if (Files.isRegularFile(udata)) {
      interactions = parse(udata, TAB_SEPARATOR);
    } else {
      throw new IOException(
          "No MovieLens ratings file (ratings.dat or u.data) in directory " + dir.toAbsolutePath());
    }
    // List.sort is a stable merge sort: equal timestamps keep file order.
    interactions.sort(Comparator.comparingLong(Interaction::timestampMs));
    return interactions;
  }

  private static List<Interaction> parse(Path file, Pattern separator) throws IOException {
    List<Interaction> out = new ArrayList<>();
    // ISO-8859-1 never fails to decode; the ids and numbers are ASCII anyway.
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = separator.split(line.strip());
        if (fields.length < 4) {
          throw new IOException(
              file + ":" + lineNumber + ": expected 4 fields, got " + fields.length + ": " + line);
        }
        try {
          out.add(
              new Interaction(
                  fields[0],
                  fields[1],
                  Double.parseDouble(fields[2]),
                  Long.parseLong(fields[3]) * 1000L));
        } catch (IllegalArgumentException e) {
          throw new IOException(file + ":" + lineNumber + ": " + e.getMessage() + ": " + line, e);
        }
      }
    }
    return out;
  }
}
