package io.recsys.app.training;

import java.util.Map;
import java.util.TreeMap;

/**
 * The next offset to read per partition of the training-examples topic: what a checkpoint has
 * trained through, stored in the model's data position as {@code 0=120,1=98}.
 */
record TrainedOffsets(Map<Integer, Long> next) {
  TrainedOffsets {
    next = Map.copyOf(next);
  }

  static TrainedOffsets parse(String position) {
    Map<Integer, Long> next = new TreeMap<>();
    if (!position.isBlank()) {
      for (String entry : position.split(",")) {
        String[] parts = entry.split("=");
        if (parts.length != 2) {
          throw new IllegalArgumentException("data position: expected p=offset, got " + entry);
        }
        next.put(Integer.parseInt(parts[0].trim()), Long.parseLong(parts[1].trim()));
      }
    }
    return new TrainedOffsets(next);
  }

  String format() {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(next)
        .forEach(
            (partition, offset) ->
                out.append(out.isEmpty() ? "" : ",").append(partition).append('=').append(offset));
    return out.toString();
  }
}
