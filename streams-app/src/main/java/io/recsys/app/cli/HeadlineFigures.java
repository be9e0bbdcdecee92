package io.recsys.app.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Picks headline figures such as NDCG@10 out of an evaluation report whatever its layout: keys
 * compare without case or punctuation ({@code ndcg@10}, {@code NDCG_10}, {@code ndcg10}) and nested
 * maps are searched depth-first, the model's own figures ({@code model}) before baselines.
 */
final class HeadlineFigures {
  private HeadlineFigures() {}

  static Optional<Double> find(Map<String, ?> report, String name) {
    String wanted = normalise(name);
    for (var entry : report.entrySet()) {
      if (normalise(entry.getKey()).equals(wanted) && entry.getValue() instanceof Number number) {
        return Optional.of(number.doubleValue());
      }
    }
    Object model = report.get("model");
    if (model instanceof Map<?, ?> nested) {
      Optional<Double> found = find(cast(nested), name);
      if (found.isPresent()) {
        return found;
      }
    }
    for (var entry : report.entrySet()) {
      if (entry.getValue() instanceof Map<?, ?> nested
          && !"model".equals(entry.getKey())
          && !normalise(entry.getKey()).contains("baseline")
          && !normalise(entry.getKey()).contains("popularity")) {
        Optional<Double> found = find(cast(nested), name);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> cast(Map<?, ?> map) {
    return (Map<String, ?>) map;
  }

  private static String normalise(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "").replace("at", "");
  }
}
