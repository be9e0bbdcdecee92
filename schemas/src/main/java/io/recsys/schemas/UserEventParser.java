package io.recsys.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the untrusted bytes of an {@code events} record into a {@link UserEvent}, or says exactly
 * which field is wrong and what was received.
 *
 * <p>Accepted JSON: an object with {@code userId} (string), {@code itemId} (string), {@code
 * eventType} (string, one of the configured types, case-insensitive), {@code eventTime} (integer
 * epoch ms, within the {@link EventTimeBounds}) and optionally {@code value} (finite number or
 * null). Ids must not contain control characters. Unknown fields are ignored. The record key must
 * be the user id. Thread-safe.
 */
public final class UserEventParser {
  /** Default upper bound on a record value's size; larger values are rejected, not parsed. */
  public static final int DEFAULT_MAX_VALUE_BYTES = 64 * 1024;

  /** Default upper bound on the length of user and item ids. */
  public static final int DEFAULT_MAX_ID_LENGTH = 256;

  private static final int MAX_ECHO_CHARS = 80;

  private final ObjectReader reader = Json.newMapper().reader();
  private final Set<String> eventTypes;
  private final int maxValueBytes;
  private final int maxIdLength;
  private final EventTimeBounds timeBounds;

  /**
   * @param timeBounds the plausible event times; others are rejected, naming a seconds or
   *     microseconds mix-up where the value looks like one
   */
  public UserEventParser(
      Set<String> eventTypes, int maxValueBytes, int maxIdLength, EventTimeBounds timeBounds) {
    if (eventTypes.isEmpty()) {
      throw new IllegalArgumentException("eventTypes: at least one event type is required");
    }
    TreeSet<String> normalised = new TreeSet<>();
    eventTypes.forEach(type -> normalised.add(type.toLowerCase(Locale.ROOT)));
    this.eventTypes = Set.copyOf(normalised);
    this.maxValueBytes = maxValueBytes;
    this.maxIdLength = maxIdLength;
    this.timeBounds = timeBounds;
  }

  public UserEventParser(Set<String> eventTypes, int maxValueBytes, int maxIdLength) {
    this(eventTypes, maxValueBytes, maxIdLength, EventTimeBounds.defaults());
  }

  public UserEventParser(Set<String> eventTypes) {
    this(eventTypes, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_ID_LENGTH);
  }

  /** Parses and validates one record; {@code key} is the record key (the user id, UTF-8). */
  public UserEvent parse(byte[] key, byte[] value) throws InvalidEventException {
    if (value == null) {
      throw new InvalidEventException("$", "missing value (null record value)");
    }
    if (value.length > maxValueBytes) {
      throw new InvalidEventException(
          "$", "value of " + value.length + " bytes exceeds the limit of " + maxValueBytes);
    }
    if (key == null || key.length == 0) {
      throw new InvalidEventException("key", "missing record key (expected the user id)");
    }
    JsonNode root;
    try {
      root = reader.readTree(value);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("$", "malformed JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidEventException("$", "unreadable value: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new InvalidEventException(
          "$", "expected a JSON object, got " + (root == null ? "nothing" : describe(root)));
    }
    String userId = requiredId(root, "userId");
    String itemId = requiredId(root, "itemId");
    String eventType = requiredText(root, "eventType").toLowerCase(Locale.ROOT);
    if (!eventTypes.contains(eventType)) {
      throw new InvalidEventException(
          "eventType", "unknown type " + quote(eventType) + " (known: " + eventTypes + ")");
    }
    long eventTime = requiredEpochMillis(root, "eventTime");
    String implausible = timeBounds.problem(eventTime);
    if (implausible != null) {
      throw new InvalidEventException("eventTime", implausible);
    }
    Double eventValue = optionalNumber(root, "value");
    String keyText = new String(key, StandardCharsets.UTF_8);
    if (!keyText.equals(userId)) {
      throw new InvalidEventException(
          "key", "record key " + quote(keyText) + " does not match userId " + quote(userId));
    }
    return new UserEvent(userId, itemId, eventType, eventValue, eventTime);
  }

  private String requiredId(JsonNode root, String field) throws InvalidEventException {
    return checkedId(field, requiredText(root, field), maxIdLength);
  }

  /**
   * {@code text} if it is an acceptable id: at most {@code maxIdLength} characters, no control
   * characters (stores join ids with control characters as separators).
   */
  static String checkedId(String field, String text, int maxIdLength) throws InvalidEventException {
    if (text.length() > maxIdLength) {
      throw new InvalidEventException(
          field, "id of " + text.length() + " characters exceeds the limit of " + maxIdLength);
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw new InvalidEventException(
            field, "must not contain control characters, got " + quote(text));
      }
    }
    return text;
  }

  private static String requiredText(JsonNode root, String field) throws InvalidEventException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidEventException(field, "required field is missing");
    }
    if (!node.isTextual()) {
      throw new InvalidEventException(field, "expected a string, got " + describe(node));
    }
    String text = node.textValue();
    if (text.isBlank()) {
      throw new InvalidEventException(field, "must not be blank, got " + quote(text));
    }
    return text;
  }

  private static long requiredEpochMillis(JsonNode root, String field)
      throws InvalidEventException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidEventException(field, "required field is missing");
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new InvalidEventException(
          field, "expected an integer (epoch milliseconds), got " + describe(node));
    }
    long millis = node.longValue();
    if (millis <= 0) {
      throw new InvalidEventException(field, "must be positive epoch milliseconds, got " + millis);
    }
    return millis;
  }

  private static Double optionalNumber(JsonNode root, String field) throws InvalidEventException {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber() || !Double.isFinite(node.doubleValue())) {
      throw new InvalidEventException(field, "expected a finite number, got " + describe(node));
    }
    return node.doubleValue();
  }

  static String describe(JsonNode node) {
    String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
    String text = node.isTextual() ? quote(node.textValue()) : truncate(node.toString());
    return type + " " + text;
  }

  private static String quote(String text) {
    return "'" + truncate(text) + "'";
  }

  private static String truncate(String text) {
    return text.length() <= MAX_ECHO_CHARS ? text : text.substring(0, MAX_ECHO_CHARS) + "...";
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return truncate(newline < 0 ? message : message.substring(0, newline));
  }
}
