package io.recsys.model.evaluation;

import io.recsys.model.data.Interaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline leave-one-out protocol of {@code shared/datasets/README.md}: each user's interactions
 * sorted by timestamp (ties in input order), the last is the test target, the one before the
 * validation target, the rest training data.
 */
public final class LeaveOneOutSplitter {
  /** A user needs a training item, a validation item and a test item. */
  public static final int MIN_INTERACTIONS = 3;

  private LeaveOneOutSplitter() {}

  /**
   * Splits per user, in order of each user's first appearance. Users with fewer than {@link
   * #MIN_INTERACTIONS} interactions cannot be evaluated and are left out.
   */
  public static List<UserSplit> split(List<Interaction> interactions) {
    List<Interaction> sorted = new ArrayList<>(interactions);
    sorted.sort(Comparator.comparingLong(Interaction::timestampMs)); // stable
    Map<String, List<String>> byUser = new LinkedHashMap<>();
    for (Interaction interaction : sorted) {
      byUser
          .computeIfAbsent(interaction.userId(), u -> new ArrayList<>())
          .add(interaction.itemId());
    }
    List<UserSplit> splits = new ArrayList<>(byUser.size());
    for (Map.Entry<String, List<String>> entry : byUser.entrySet()) {
      List<String> items = entry.getValue();
      int n = items.size();
      if (n < MIN_INTERACTIONS) {
        continue;
      }
      splits.add(
          new UserSplit(
              entry.getKey(), items.subList(0, n - 2), items.get(n - 2), items.get(n - 1)));
    }
    return splits;
  }
}
