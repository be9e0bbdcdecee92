package io.recsys.model;

import java.util.List;

/**
 * Reads and steps LSTM states in batches: what carrying each user's state from one event to the
 * next needs from a model ({@link NextItemModel}, or a serving instance's locked view of one).
 */
public interface StateStepper {
  /** The state after each history, read from a fresh start; null for no known item. */
  List<SequenceState> states(List<List<String>> histories);

  /** Each state after one more item, in one batch. */
  List<SequenceState> step(List<SequenceState> states, List<String> items);
}
