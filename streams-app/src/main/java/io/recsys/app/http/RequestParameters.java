package io.recsys.app.http;

import java.util.OptionalInt;

/** Validation of the query API's parameters, each failure naming the parameter. */
final class RequestParameters {
  static final int MAX_K = 100;

  /** A parameter that is missing or malformed; answered with 400. */
  static final class BadParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    BadParameter(String parameter, String message) {
      super(message);
      this.parameter = parameter;
    }

    String parameter() {
      return parameter;
    }
  }

  private final int maxIdLength;

  /**
   * @param maxIdLength the longest id the input parser accepts, so no longer id can be known
   */
  RequestParameters(int maxIdLength) {
    this.maxIdLength = maxIdLength;
  }

  String userId(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new BadParameter("id", "id: must be a non-blank user id");
    }
    if (raw.length() > maxIdLength) {
      throw new BadParameter(
          "id", "id: must be at most " + maxIdLength + " characters, got " + raw.length());
    }
    for (int i = 0; i < raw.length(); i++) {
      if (Character.isISOControl(raw.charAt(i))) {
        throw new BadParameter("id", "id: must not contain control characters");
      }
    }
    return raw;
  }

  /** {@code k} if given, else empty. */
  OptionalInt k(String raw) {
    if (raw == null) {
      return OptionalInt.empty();
    }
    int k;
    try {
      k = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new BadParameter("k", "k: must be an integer between 1 and " + MAX_K + ", got " + raw);
    }
    if (k < 1 || k > MAX_K) {
      throw new BadParameter("k", "k: must be between 1 and " + MAX_K + ", got " + k);
    }
    return OptionalInt.of(k);
  }
}
