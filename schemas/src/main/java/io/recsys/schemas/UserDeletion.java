package io.recsys.schemas;

/**
 * The value of the {@code user-deletions} topic (key = the user id, exactly as on {@code events}):
 * a request to forget the user everywhere. The topic has the partitions of {@code events} and the
 * same key, so a user's deletion is processed by the task that holds the user's state, after the
 * user's events produced before it.
 *
 * <p>A record with an empty or null value is a valid request too (its id is then made from its
 * topic, partition and offset); any other value must be this JSON.
 *
 * @param schemaVersion layout version, {@link #SCHEMA_VERSION}
 * @param requestId names the request in the reports every instance publishes when it has applied it
 *     ({@link DeletionReport}); chosen by the requester, unique per request
 * @param requestedAt when the request was made, epoch ms
 */
public record UserDeletion(int schemaVersion, String requestId, long requestedAt) {
  public static final int SCHEMA_VERSION = 1;

  /**
   * Header of the tombstone that marks, on {@code training-examples}, where a forgotten user's
   * examples end: the request id (UTF-8).
   */
  public static final String REQUEST_HEADER = "recsys.deletion.request";

  /** The longest request id accepted; ids travel in every report and audit line. */
  public static final int MAX_REQUEST_ID_LENGTH = 128;

  public UserDeletion {
    if (requestId == null || requestId.isBlank()) {
      throw new IllegalArgumentException("requestId: must be a non-blank string, got " + requestId);
    }
    if (requestId.length() > MAX_REQUEST_ID_LENGTH) {
      throw new IllegalArgumentException(
          "requestId: must be at most "
              + MAX_REQUEST_ID_LENGTH
              + " characters, got "
              + requestId.length());
    }
    if (requestedAt < 0) {
      throw new IllegalArgumentException("requestedAt: must be >= 0, got " + requestedAt);
    }
  }
}
