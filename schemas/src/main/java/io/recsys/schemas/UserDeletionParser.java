package io.recsys.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads one record of the {@code user-deletions} topic: the key is the user id (the same rules as
 * on {@code events}), the value a {@link UserDeletion} or nothing. A bad record is refused with the
 * field named, like a bad event. Thread-safe.
 */
public final class UserDeletionParser {
  /** Larger values are refused: a request is a few dozen bytes. */
  public static final int MAX_VALUE_BYTES = 4096;

  /** A request: the user to forget and the request's id and time. */
  public record Request(String userId, UserDeletion deletion) {}

  private final ObjectReader reader = Json.newMapper().reader();
  private final int maxIdLength;

  /**
   * @param maxIdLength the longest user id accepted, as for events ({@code
   *     recsys.event.max.id.length})
   */
  public UserDeletionParser(int maxIdLength) {
    this.maxIdLength = maxIdLength;
  }

  /**
   * @param fallbackRequestId the request id of a record without a value (for example its topic,
   *     partition and offset)
   * @param fallbackRequestedAt the request time of a record without a value (its timestamp)
   */
  public Request parse(byte[] key, byte[] value, String fallbackRequestId, long fallbackRequestedAt)
      throws InvalidEventException {
    if (key == null || key.length == 0) {
      throw new InvalidEventException("key", "missing record key (expected the user id)");
    }
    String userId = new String(key, StandardCharsets.UTF_8);
    if (userId.isBlank()) {
      throw new InvalidEventException("key", "must not be blank");
    }
    UserEventParser.checkedId("key", userId, maxIdLength);
    if (value == null || value.length == 0) {
      return new Request(
          userId,
          new UserDeletion(
              UserDeletion.SCHEMA_VERSION, fallbackRequestId, Math.max(0, fallbackRequestedAt)));
    }
    if (value.length > MAX_VALUE_BYTES) {
      throw new InvalidEventException(
          "$", "value of " + value.length + " bytes exceeds the limit of " + MAX_VALUE_BYTES);
    }
    JsonNode root;
    try {
      root = reader.readTree(value);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(
          "$", "malformed JSON: " + UserEventParser.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidEventException(
          "$", "unreadable value: " + UserEventParser.firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(
          "$",
          "expected a JSON object, got "
              + (root == null ? "nothing" : UserEventParser.describe(root)));
    }
    String requestId = fallbackRequestId;
    JsonNode id = root.get("requestId");
    if (id != null && !id.isNull()) {
      if (!id.isTextual() || id.textValue().isBlank()) {
        throw new InvalidEventException(
            "requestId", "expected a non-blank string, got " + UserEventParser.describe(id));
      }
      requestId =
          UserEventParser.checkedId(
              "requestId", id.textValue(), UserDeletion.MAX_REQUEST_ID_LENGTH);
    }
    long requestedAt = Math.max(0, fallbackRequestedAt);
    JsonNode at = root.get("requestedAt");
    if (at != null && !at.isNull()) {
      if (!at.isIntegralNumber() || !at.canConvertToLong() || at.longValue() < 0) {
        throw new InvalidEventException(
            "requestedAt",
            "expected epoch milliseconds (an integer >= 0), got " + UserEventParser.describe(at));
      }
      requestedAt = at.longValue();
    }
    return new Request(
        userId, new UserDeletion(UserDeletion.SCHEMA_VERSION, requestId, requestedAt));
  }
}
