package io.recsys.app.pipeline.state;

/**
 * Key of the stores that hold one entry per pair of ids ({@code user-seen-items}: user and item;
 * {@code item-cooccurrence}: item and neighbour): the two ids joined by a NUL character, which the
 * input parser never lets into an id, so that two different pairs never share a key and a prefix
 * scan of {@code of(first, "")} finds exactly the pairs of {@code first}.
 */
public final class IdPairKey {
  private static final char SEPARATOR = '\u0000';

  private IdPairKey() {}

  public static String of(String first, String second) {
    return first + SEPARATOR + second;
  }

  /** The second id of a key made by {@link #of}. */
  public static String second(String key) {
    int at = key.indexOf(SEPARATOR);
    if (at < 0) {
      throw new IllegalArgumentException("not a pair key: " + key);
    }
    return key.substring(at + 1);
  }
}
