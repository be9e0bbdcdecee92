package io.recsys.model.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * One user's leave-one-out split: the training items in time order, the validation target (the
 * second-to-last interaction) and the test target (the last one).
 */
public record UserSplit(String userId, List<String> train, String validation, String test) {
  public UserSplit {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    train = List.copyOf(train);
    if (train.isEmpty()) {
      throw new IllegalArgumentException("train must not be empty for user " + userId);
    }
  }

  /** The input for predicting the validation target: the training items. */
  public List<String> validationInput() {
    return train;
  }

  /** The input for predicting the test target: training items then the validation item. */
  public List<String> testInput() {
    String[] all = train.toArray(new String[train.size() + 1]);
    all[train.size()] = validation;
    return List.of(all);
  }
}
