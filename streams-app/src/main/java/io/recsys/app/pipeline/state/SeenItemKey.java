package io.recsys.app.pipeline.state;

/**
 * Key of the {@code user-seen-items} store: user id and item id joined by a NUL character, which
 * the input parser never lets into an id, so that two different pairs never share a key.
 */
public final class SeenItemKey {
  private static final char SEPARATOR = '\u0000';

  private SeenItemKey() {}

  public static String of(String userId, String itemId) {
    return userId + SEPARATOR + itemId;
  }
}
