package io.recsys.app.eventfiles;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which column of an event file holds the user, the item, the time and, optionally, the event type
 * and a value: given as {@code user=customer_id,item=sku,time=ts[,type=action][,value=rating]}, or
 * recognised from the header by common names (MovieLens {@code userId,movieId,rating,timestamp},
 * {@code user_id,item_id,timestamp}, Amazon reviews' {@code reviewerID,asin,overall,
 * unixReviewTime}, ...). Column names compare without case.
 */
public record ColumnMapping(
    String user, String item, String time, Optional<String> type, Optional<String> value) {

  private static final List<String> USER_NAMES =
      List.of("userid", "user_id", "user", "customerid", "customer_id", "visitorid", "reviewerid");
  private static final List<String> ITEM_NAMES =
      List.of(
          "itemid",
          "item_id",
          "item",
          "movieid",
          "movie_id",
          "productid",
          "product_id",
          "asin",
          "sku");
  private static final List<String> TIME_NAMES =
      List.of(
          "timestamp",
          "eventtime",
          "event_time",
          "time",
          "ts",
          "unixreviewtime",
          "datetime",
          "date");
  private static final List<String> TYPE_NAMES =
      List.of("eventtype", "event_type", "event", "type", "action");
  private static final List<String> VALUE_NAMES = List.of("rating", "value", "score", "overall");

  /**
   * Parses {@code user=A,item=B,time=C[,type=D][,value=E]}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static ColumnMapping parse(String spec) {
    Map<String, String> roles = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
        throw new IllegalArgumentException(
            "expected ROLE=COLUMN (roles user, item, time, type, value), got '" + part + "'");
      }
      String role = kv[0].strip().toLowerCase(Locale.ROOT);
      if (!List.of("user", "item", "time", "type", "value").contains(role)) {
        throw new IllegalArgumentException(
            "unknown role '" + kv[0].strip() + "': the roles are user, item, time, type, value");
      }
      roles.put(role, kv[1].strip());
    }
    for (String required : List.of("user", "item", "time")) {
      if (!roles.containsKey(required)) {
        throw new IllegalArgumentException("the mapping names no " + required + " column");
      }
    }
    return new ColumnMapping(
        roles.get("user"),
        roles.get("item"),
        roles.get("time"),
        Optional.ofNullable(roles.get("type")),
        Optional.ofNullable(roles.get("value")));
  }

  /**
   * The mapping the header's names suggest.
   *
   * @throws IllegalArgumentException when no column is recognised for the user, the item or the
   *     time, naming the columns there are
   */
  public static ColumnMapping detect(List<String> header) {
    String user = find(header, USER_NAMES);
    String item = find(header, ITEM_NAMES);
    String time = find(header, TIME_NAMES);
    if (user == null || item == null || time == null) {
      throw new IllegalArgumentException(
          "cannot tell the "
              + (user == null ? "user" : item == null ? "item" : "time")
              + " column among "
              + header
              + "; name them with --columns user=COLUMN,item=COLUMN,time=COLUMN");
    }
    return new ColumnMapping(
        user,
        item,
        time,
        Optional.ofNullable(find(header, TYPE_NAMES)),
        Optional.ofNullable(find(header, VALUE_NAMES)));
  }

  private static String find(List<String> header, List<String> names) {
    for (String name : names) {
      for (String column : header) {
        if (column.strip().toLowerCase(Locale.ROOT).equals(name)) {
          return column;
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "user="
        + user
        + ",item="
        + item
        + ",time="
        + time
        + type.map(t -> ",type=" + t).orElse("")
        + value.map(v -> ",value=" + v).orElse("");
  }
}
