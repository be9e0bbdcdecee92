package io.recsys.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Replaces a share of good input records by realistic bad ones, cycling through the kinds the
 * pipeline must reject: malformed JSON, a missing field, a wrong type, an unknown event type, an
 * empty key and an oversized value. Deterministic for a seed. Not thread-safe.
 */
public final class InvalidEventInjector {
  /** The kinds of bad record, in the order they are injected. */
  public enum Kind {
    MALFORMED_JSON,
    MISSING_FIELD,
    WRONG_TYPE,
    UNKNOWN_EVENT_TYPE,
    EMPTY_KEY,
    OVERSIZED_VALUE
  }

  private static final int OVERSIZED_BYTES = 70 * 1024;

  private final double rate;
  private final SplittableRandom random;
  private int nextKind;

  public InvalidEventInjector(double rate, long seed) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("rate: must be in [0, 1], got " + rate);
    }
    this.rate = rate;
    this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
  }

  /** {@code good}, or with probability {@code rate} a bad record made from it. */
  public RawRecord apply(RawRecord good) {
    if (rate == 0 || random.nextDouble() >= rate) {
      return good;
    }
    Kind kind = Kind.values()[nextKind];
    nextKind = (nextKind + 1) % Kind.values().length;
    return corrupt(good, kind);
  }

  /** {@code good} turned into a bad record of {@code kind}. */
  public static RawRecord corrupt(RawRecord good, Kind kind) {
    String json = new String(good.value(), StandardCharsets.UTF_8);
    return switch (kind) {
      case MALFORMED_JSON -> new RawRecord(good.key(), utf8(json.substring(0, json.length() / 2)));
      case MISSING_FIELD ->
          new RawRecord(good.key(), utf8(json.replaceFirst("\"itemId\":\"[^\"]*\",?", "")));
      case WRONG_TYPE ->
          new RawRecord(
              good.key(), utf8(json.replaceFirst("\"eventTime\":(\\d+)", "\"eventTime\":\"$1\"")));
      case UNKNOWN_EVENT_TYPE ->
          new RawRecord(
              good.key(),
              utf8(json.replaceFirst("\"eventType\":\"[^\"]*\"", "\"eventType\":\"teleport\"")));
      case EMPTY_KEY -> new RawRecord(new byte[0], good.value());
      case OVERSIZED_VALUE ->
          new RawRecord(
              good.key(),
              utf8(
                  json.substring(0, json.length() - 1)
                      + ",\"padding\":\""
                      + "x".repeat(OVERSIZED_BYTES)
                      + "\"}"));
    };
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
