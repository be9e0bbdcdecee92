package io.recsys.model;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each user's LSTM state after the items the model has read for them, kept from one event to the
 * next so that a new event steps the model once instead of re-reading the user's newest items (20
 * steps at the default {@code recsys.model.sequence.length}). Serving spent about half of the
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
 *
 * <p>The trainer keeps one too, for the state before each example's newest items (the steps that
 * get gradients): there the weights change with every micro-batch, so staleness is bounded by
 * {@code recsys.trainer.state.steps} alone.
 */
public final class CarriedStates {
  /**
   * @param scored the list last computed from {@code state}, or null: a kept state (the event did
   *     not move the user to a new item) under the same model version gives the same list, so it is
   *     reused instead of scoring every item again
   */
  private record Carried(List<String> items, SequenceState state, int steps, Scored scored) {}

  /** A top-k list and the {@link #scoringEpoch} of the model version that computed it. */
  private record Scored(long epoch, int k, List<RecommendedItem> items) {}

  private final int maxSteps;
  private final Map<String, Carried> byUser;
  private long lineage = Long.MIN_VALUE;
  private long stepped;
  private long reread;
  private long kept;
  private long reused;

  /**
   * The version lists were last scored with, and a count of the versions seen: lists remember the
   * count, not the version, so that idle users' lists do not keep old models in memory.
   */
  private Object scoredWith;

  private long scoringEpoch;

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
      ServedModel model, List<String> users, List<List<String>> histories, int k) {
    return recommend(model, users, histories, k, new BitSet()).lists();
  }

  /**
   * The lists of {@link #recommend(ServedModel, List, List, int)}, and for each event whose
   * position is set in {@code check}, the list that scoring every item gives from the same state:
   * the reference a list made through the index is checked against.
   *
   * @param exhaustive by event position, for the checked events the model scored
   */
  public record Checked(
      List<List<RecommendedItem>> lists, Map<Integer, List<RecommendedItem>> exhaustive) {}

  /** See {@link Checked}. */
  public Checked recommend(
      ServedModel model, List<String> users, List<List<String>> histories, int k, BitSet check) {
    List<SequenceState> states = states(model, model.lineage(), users, histories);
    if (model != scoredWith) {
      scoredWith = model;
      scoringEpoch++;
    }
    // A state object stands for one history: one list per distinct state and model version
    // (null while the state waits to be scored in this call).
    Map<SequenceState, List<RecommendedItem>> lists = new IdentityHashMap<>();
    for (String user : users) {
      Carried carried = byUser.get(user);
      if (carried != null && current(carried.scored(), k)) {
        lists.put(carried.state(), carried.scored().items());
      }
    }
    List<SequenceState> toScore = new ArrayList<>();
    List<List<String>> toScoreHistories = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      SequenceState state = states.get(i);
      if (state == null) {
        continue;
      }
      if (lists.containsKey(state)) {
        reused++;
      } else {
        lists.put(state, null);
        toScore.add(state);
        toScoreHistories.add(histories.get(i));
      }
    }
    if (!toScore.isEmpty()) {
      List<List<RecommendedItem>> scored = model.recommendFrom(toScore, toScoreHistories, k);
      for (int j = 0; j < toScore.size(); j++) {
        lists.put(toScore.get(j), scored.get(j));
      }
    }
    List<List<RecommendedItem>> out = new ArrayList<>(states.size());
    for (SequenceState state : states) {
      out.add(state == null ? List.of() : lists.get(state));
    }
    Map<Integer, List<RecommendedItem>> exhaustive =
        check.isEmpty() ? Map.of() : exhaustively(model, states, histories, k, check);
    for (String user : users) {
      Carried carried = byUser.get(user);
      if (carried != null && lists.containsKey(carried.state()) && !current(carried.scored(), k)) {
        byUser.put(
            user,
            new Carried(
                carried.items(),
                carried.state(),
                carried.steps(),
                new Scored(scoringEpoch, k, lists.get(carried.state()))));
      }
    }
    return new Checked(out, exhaustive);
  }

  /** Every item scored from the states at the positions set in {@code check}, by position. */
  private static Map<Integer, List<RecommendedItem>> exhaustively(
      ServedModel model,
      List<SequenceState> states,
      List<List<String>> histories,
      int k,
      BitSet check) {
    List<Integer> checked = new ArrayList<>();
    List<SequenceState> checkedStates = new ArrayList<>();
    List<List<String>> checkedHistories = new ArrayList<>();
    for (int i = check.nextSetBit(0); i >= 0 && i < states.size(); i = check.nextSetBit(i + 1)) {
      if (states.get(i) != null) {
        checked.add(i);
        checkedStates.add(states.get(i));
        checkedHistories.add(histories.get(i));
      }
    }
    Map<Integer, List<RecommendedItem>> exhaustive = new TreeMap<>();
    if (!checked.isEmpty()) {
      List<List<RecommendedItem>> reference =
          model.recommendExhaustivelyFrom(checkedStates, checkedHistories, k);
      for (int j = 0; j < checked.size(); j++) {
        exhaustive.put(checked.get(j), reference.get(j));
      }
    }
    return exhaustive;
  }

  private boolean current(Scored scored, int k) {
    return scored != null && scored.epoch() == scoringEpoch && scored.k() == k;
  }

  /**
   * The model's state after each history ({@code users.get(i)} with {@code histories.get(i)},
   * oldest first, in arrival order), stepped from the user's carried state where the history
   * continues it, kept where the history has not moved since, and re-read otherwise (null for a
   * history with no known item); the states are then carried. A user's later events in the batch
   * continue the state of their earlier one (one more model call per repeat, not a re-read). {@code
   * lineage} names the weights: a new one drops every carried state.
   */
  public List<SequenceState> states(
      StateStepper model, long lineage, List<String> users, List<List<String>> histories) {
    if (lineage != this.lineage) {
      byUser.clear();
      this.lineage = lineage;
    }
    int n = users.size();
    if (maxSteps == 0) {
      reread += n;
      return model.states(histories);
    }
    List<SequenceState> states = new ArrayList<>(Collections.nCopies(n, null));
    // A user's k-th event of the batch continues the state of their (k-1)-th: round k.
    List<List<Integer>> rounds = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int round = seen.merge(users.get(i), 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(i);
    }
    int[] steps = new int[n];
    for (List<Integer> round : rounds) {
      advance(model, round, users, histories, states, steps);
    }
    return states;
  }

  /**
   * One round: each of these events is a different user's; their states go into {@code states} and
   * the steps each has taken since its re-read into {@code steps}.
   */
  private void advance(
      StateStepper model,
      List<Integer> round,
      List<String> users,
      List<List<String>> histories,
      List<SequenceState> states,
      int[] steps) {
    List<Integer> toStep = new ArrayList<>();
    List<SequenceState> stepFrom = new ArrayList<>();
    List<String> stepItems = new ArrayList<>();
    List<Integer> toRead = new ArrayList<>();
    List<List<String>> readHistories = new ArrayList<>();
    for (int i : round) {
      List<String> history = histories.get(i);
      Carried carried = byUser.get(users.get(i));
      if (carried != null && carried.items().equals(history)) {
        states.set(i, carried.state());
        steps[i] = carried.steps();
        kept++;
      } else if (carried != null
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
    if (!toRead.isEmpty()) {
      List<SequenceState> read = model.states(readHistories);
      for (int r = 0; r < toRead.size(); r++) {
        states.set(toRead.get(r), read.get(r));
      }
    }
    if (!toStep.isEmpty()) {
      List<SequenceState> next = model.step(stepFrom, stepItems);
      for (int r = 0; r < toStep.size(); r++) {
        states.set(toStep.get(r), next.get(r));
      }
    }
    stepped += toStep.size();
    reread += toRead.size();
    for (int i : round) {
      if (states.get(i) == null) {
        byUser.remove(users.get(i));
      } else {
        Carried before = byUser.get(users.get(i));
        Scored scored = before != null && before.state() == states.get(i) ? before.scored() : null;
        byUser.put(
            users.get(i),
            new Carried(List.copyOf(histories.get(i)), states.get(i), steps[i], scored));
      }
    }
  }

  /**
   * Drops {@code user}'s state and list (the user asked to be forgotten); returns whether one was
   * held.
   */
  public boolean forget(String user) {
    return byUser.remove(user) != null;
  }

  /** Whether a state is held for {@code user}. */
  public boolean holds(String user) {
    return byUser.containsKey(user);
  }

  /**
   * States kept as they were since this instance was made: the history had not moved since the
   * state was made (a repeat on the user's newest item).
   */
  public long kept() {
    return kept;
  }

  /**
   * Lists reused since this instance was made: their state and model version had already been
   * scored (a kept state, or a user's repeat within one batch), so no item was scored again.
   */
  public long reused() {
    return reused;
  }

  /** States stepped from a carried one since this instance was made. */
  public long stepped() {
    return stepped;
  }

  /** States re-read from the history since this instance was made. */
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
    return carried
        .subList(carried.size() - before, carried.size())
        .equals(history.subList(0, before));
  }
}
