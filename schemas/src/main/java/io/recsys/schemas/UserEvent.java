package io.recsys.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One user behaviour event, the value of the {@code events} topic (key = {@link #userId()}).
 *
 * <p>Ids are opaque strings as the producer knows them. {@code eventType} is one of the configured
 * event types (lower case); {@code value} is optional (a rating, a price) and {@code eventTime} is
 * epoch milliseconds. Instances are always valid: build them from untrusted bytes with {@link
 * UserEventParser}, which names the offending field instead of throwing from here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserEvent(
    String userId, String itemId, String eventType, Double value, long eventTime) {

  public UserEvent {
    requireText("userId", userId);
    requireText("itemId", itemId);
    requireText("eventType", eventType);
    if (value != null && !Double.isFinite(value)) {
      throw new IllegalArgumentException("value: must be a finite number, got " + value);
    }
    if (eventTime <= 0) {
      throw new IllegalArgumentException("eventTime: must be positive epoch ms, got " + eventTime);
    }
  }

  private static void requireText(String field, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(field + ": must be a non-blank string, got " + text);
    }
  }
}
