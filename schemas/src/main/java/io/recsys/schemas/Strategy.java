package io.recsys.schemas;

import com.fasterxml.jackson.annotation.JsonValue;

/** What produced a recommendation list; written in lower case on the wire. */
public enum Strategy {
  /** Scored by the learned next-item model. */
  MODEL,
  /** Globally popular items (time-decayed), used for cold users or when no model is loaded. */
  POPULARITY,
  /** Items that followed the user's recent items in other users' histories (item-to-item). */
  COOCCURRENCE,
  /** The rank fusion of the other strategies' lists, each weighted by its live figure. */
  BLEND;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
