package io.recsys.app.serving;

import io.recsys.model.RecommendedItem;
import io.recsys.model.SequenceState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each user's LSTM state after the items the model has read for them, kept from one event to the
 * next so that a new event steps the model once instead of re-reading the user's newest items
 * (20 steps at the default {@code recsys.model.sequence.length}). Serving spent about half of the
 * stream threads' time in that re-read.
 *
 * <p>A carried state differs from a re-read in two ways, both bounded: it was computed partly with
 * older weights (states are dropped when a snapshot starts a new lineage, every {@code
 * recsys.model.snapshot.interval.ms}), and once a user's window is full it covers more than the
 * window (a state is re-read after {@code recsys.serving.state.steps} steps). Up to the window's
 * length, with unchanged weights, stepping gives what a re-read gives.
 *
 * <p>One instance per stream task, in memory, least recently used users evicted: losing states
 * costs only re-reads, so they are not changelogged. Not thread-safe (a task runs on one thread).
 */
public final class CarriedStates {
  private record Carried(List<String> items, SequenceState state, int steps) {}

  private final int maxSteps;
  private final Map<String, Carried> byUser;
  private long lineage = Long.MIN_VALUE;
  private long stepped;
  private long reread;

  /**
   * @param maxSteps steps a state may take before it is re-read from the window; 0 re-reads every
   *     time (no state is kept)
   * @param maxUsers users whose states are kept, least recently used evicted
   */
  public CarriedStates(int maxSteps, int maxUsers) {
    this.maxSteps = maxSteps;
    this.byUser =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Carried> eldest) {
            return size() > maxUsers;
          }
        };
  }

  /**
   * The model's top {@code k} for each event, {@code users.get(i)} with {@code histories.get(i)}
   * (the items the model reads, oldest first, the event's item last), in arrival order; each
   * history's items are excluded from its list.
   */
  public List<List<RecommendedItem>> recommend(
      CurrentModel.Loaded model, List<String> users, List<List<String>> histories, int k) {
    if (model.lineage() != lineage) {
      byUser.clear();
      lineage = model.lineage();
    }
    int n = users.size();
    List<Integer> toStep = new ArrayList<>();
    List<SequenceState> stepFrom = new ArrayList<>();
    List<String> stepItems = new ArrayList<>();
    List<Integer> toRead = new ArrayList<>();
    List<List<String>> readHistories = new ArrayList<>();
    int[] steps = new int[n];
    // A user's later events in one batch are re-read: their state would come from this batch.
    Set<String> inBatch = new HashSet<>();
    for (int i = 0; i < n; i++) {
      List<String> history = histories.get(i);
      Carried carried = inBatch.add(users.get(i)) ? byUser.get(users.get(i)) : null;
      if (maxSteps > 0
          && carried != null
          && carried.steps() < maxSteps
          && continues(carried.items(), history)) {
        toStep.add(i);
        stepFrom.add(carried.state());
        stepItems.add(history.get(history.size() - 1));
        steps[i] = carried.steps() + 1;
      } else {
        toRead.add(i);
        readHistories.add(history);
      }
    }
    List<SequenceState> states = new ArrayList<>(Collections.nCopies(n, null));
    if (!toRead.isEmpty()) {
      List<SequenceState> read = model.states(readHistories);
      for (int j = 0; j < toRead.size(); j++) {
        states.set(toRead.get(j), read.get(j));
      }
    }
    if (!toStep.isEmpty()) {
      List<SequenceState> next = model.step(stepFrom, stepItems);
      for (int j = 0; j < toStep.size(); j++) {
        states.set(toStep.get(j), next.get(j));
      }
    }
    stepped += toStep.size();
    reread += toRead.size();
    if (maxSteps > 0) {
      for (int i = 0; i < n; i++) {
        if (states.get(i) == null) {
          byUser.remove(users.get(i));
        } else {
          Carried carried = new Carried(List.copyOf(histories.get(i)), states.get(i), steps[i]);
          byUser.put(users.get(i), carried);
        }
      }
    }
    return model.recommendFrom(states, histories, k);
  }

  /** Events scored by stepping a carried state since this instance was made. */
  public long stepped() {
    return stepped;
  }

  /** Events scored by re-reading the window since this instance was made. */
  public long reread() {
    return reread;
  }

  /**
   * Whether {@code history} is {@code carried} plus one newer item: everything before its newest
   * item is the end of what the state has read (the window may have slid by one).
   */
  static boolean continues(List<String> carried, List<String> history) {
    int before = history.size() - 1;
    if (before < 1 || carried.size() < before) {
      return false;
    }
    return carried.subList(carried.size() - before, carried.size())
        .equals(history.subList(0, before));
  }
}
