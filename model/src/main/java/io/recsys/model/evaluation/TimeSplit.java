package io.recsys.model.evaluation;

import io.recsys.model.data.Interaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A split by time for retraining on a window of events: the events in the last {@code fraction} of
 * the window's event-time span are held out, everything before trains. Unlike leave-one-out, every
 * held-out event is a target, scored given all of its user's events before it (held-out ones
 * included), which is what serving faces after a retrain: predict what users do next.
 *
 * @param cutoffMs first held-out event time: events at or after it are held out
 * @param trainSequences each user's training items, oldest first, users in order of first event
 * @param heldOut the held-out events with a non-empty history, in time order
 * @param coldHeldOut held-out events of users with no earlier event in the window: no history to
 *     predict from, left out of every figure (model and baseline alike)
 */
public record TimeSplit(
    long cutoffMs, List<List<String>> trainSequences, List<HeldOutEvent> heldOut, int coldHeldOut) {

  /** One held-out event: the user's items before it (oldest first) and its item. */
  public record HeldOutEvent(List<String> history, String item) {}

  private record Pending(List<String> items, int position) {}

  public TimeSplit {
    trainSequences = List.copyOf(trainSequences);
    heldOut = List.copyOf(heldOut);
  }

  /** Events that train: the items of all training sequences. */
  public long trainEvents() {
    long n = 0;
    for (List<String> s : trainSequences) {
      n += s.size();
    }
    return n;
  }

  /**
   * Splits {@code interactions} (any order; sorted here by time, stably, so ties keep input order).
   *
   * @param fraction share of the event-time span held out, in (0, 1)
   * @throws IllegalArgumentException when there are no events, all share one timestamp, or either
   *     side of the split would be empty
   */
  public static TimeSplit byTime(List<Interaction> interactions, double fraction) {
    if (!(fraction > 0.0 && fraction < 1.0)) {
      throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + fraction);
    }
    if (interactions.isEmpty()) {
      throw new IllegalArgumentException("no events to split: the range read was empty");
    }
    List<Interaction> sorted = new ArrayList<>(interactions);
    sorted.sort(Comparator.comparingLong(Interaction::timestampMs));
    long min = sorted.get(0).timestampMs();
    long max = sorted.get(sorted.size() - 1).timestampMs();
    if (max == min) {
      throw new IllegalArgumentException(
          "all "
              + sorted.size()
              + " events share one timestamp ("
              + min
              + "): a split by time needs a span");
    }
    // At least the newest instant is held out, however small the fraction.
    long cutoff = max - (long) Math.floor(fraction * (max - min));
    Map<String, List<String>> items = new LinkedHashMap<>();
    Map<String, List<String>> train = new LinkedHashMap<>();
    List<Pending> pending = new ArrayList<>();
    int cold = 0;
    for (Interaction i : sorted) {
      List<String> userItems = items.computeIfAbsent(i.userId(), u -> new ArrayList<>());
      if (i.timestampMs() < cutoff) {
        train.computeIfAbsent(i.userId(), u -> new ArrayList<>()).add(i.itemId());
      } else if (userItems.isEmpty()) {
        cold++;
      } else {
        pending.add(new Pending(userItems, userItems.size()));
      }
      userItems.add(i.itemId());
    }
    List<HeldOutEvent> heldOut = new ArrayList<>(pending.size());
    for (Pending p : pending) {
      // Views, not copies: the users' lists are complete and never change after this loop.
      heldOut.add(
          new HeldOutEvent(
              java.util.Collections.unmodifiableList(p.items().subList(0, p.position())),
              p.items().get(p.position())));
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException("the split by time left no training events");
    }
    if (heldOut.isEmpty()) {
      throw new IllegalArgumentException(
          "the split by time left no held-out event with a history to predict from");
    }
    return new TimeSplit(cutoff, new ArrayList<>(train.values()), heldOut, cold);
  }
}
