package io.recsys.app.training;

import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the trainer must know to resume, stored in its checkpoint's data position so that it
 * is written atomically with the model it belongs to:
 *
 * <pre>
 * 0=120,1=98;base=v3@1500;model-updates=0:457
 * </pre>
 *
 * <p>The training-examples offsets come first ({@link TrainedOffsets}; a checkpoint written before
 * promotions existed holds only them). {@code base} names the registry version the model continues
 * and its update count when adopted, so that publications are named {@code v3+<updates since>};
 * {@code model-updates} is where to resume looking for promotions, so that a restarted trainer
 * never adopts a promotion twice and never misses one published while it was down.
 *
 * @param base the adopted registry version, or null when the model is the trainer's own
 * @param promotions next model-updates offset to read per partition; empty when unknown
 */
record TrainerPosition(
    TrainedOffsets offsets, String base, long baseUpdates, Map<Integer, Long> promotions) {
  private static final String BASE = "base";
  private static final String PROMOTIONS = "model-updates";

  TrainerPosition {
    promotions = Map.copyOf(promotions);
    if (base != null && (base.isBlank() || base.contains(";") || base.contains("@"))) {
      throw new IllegalArgumentException("base: not a model version name, got '" + base + "'");
    }
  }

  static TrainerPosition parse(String position) {
    String[] segments = position.split(";", -1);
    TrainedOffsets offsets = TrainedOffsets.parse(segments[0]);
    String base = null;
    long baseUpdates = 0;
    Map<Integer, Long> promotions = new TreeMap<>();
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      int equals = segment.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("data position: expected key=value, got " + segment);
      }
      String key = segment.substring(0, equals);
      String value = segment.substring(equals + 1);
      switch (key) {
        case BASE -> {
          int at = value.lastIndexOf('@');
          if (at < 0) {
            throw new IllegalArgumentException(
                "data position: expected base=name@updates, got " + segment);
          }
          base = value.substring(0, at);
          baseUpdates = Long.parseLong(value.substring(at + 1));
        }
        case PROMOTIONS -> {
          for (String entry : value.split(",")) {
            if (entry.isBlank()) {
              continue;
            }
            String[] parts = entry.split(":");
            if (parts.length != 2) {
              throw new IllegalArgumentException(
                  "data position: expected partition:offset, got " + entry);
            }
            promotions.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
          }
        }
        default -> throw new IllegalArgumentException("data position: unknown key " + key);
      }
    }
    return new TrainerPosition(offsets, base, baseUpdates, promotions);
  }

  String format() {
    StringBuilder out = new StringBuilder(offsets.format());
    if (base != null) {
      out.append(';').append(BASE).append('=').append(base).append('@').append(baseUpdates);
    }
    if (!promotions.isEmpty()) {
      out.append(';').append(PROMOTIONS).append('=');
      StringBuilder entries = new StringBuilder();
      new TreeMap<>(promotions)
          .forEach(
              (partition, offset) ->
                  entries
                      .append(entries.isEmpty() ? "" : ",")
                      .append(partition)
                      .append(':')
                      .append(offset));
      out.append(entries);
    }
    return out.toString();
  }
}
