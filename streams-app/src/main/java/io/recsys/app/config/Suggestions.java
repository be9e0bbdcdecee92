package io.recsys.app.config;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean" for mistyped names: the closest candidate by edit distance, when it is close
 * enough to be the likely intent. Picocli offers its own suggestions for flags and subcommands;
 * this serves setting names, which picocli never sees. (A dependency such as commons-text for one
 * distance function would pull a newer commons-lang3 under ND4J.)
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The candidate closest to {@code name}, if at most a quarter of its characters (and at least
   * two) differ.
   */
  public static Optional<String> closest(String name, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(name, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(2, name.length() / 4);
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  /** ", did you mean 'x'?" or nothing. */
  public static String didYouMean(String name, Collection<String> candidates) {
    return closest(name, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
  }

  /** Levenshtein distance: insertions, deletions and substitutions, each costing one. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
