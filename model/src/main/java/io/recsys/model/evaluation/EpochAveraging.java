package io.recsys.model.evaluation;

import io.recsys.model.NextItemModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.function.DoublePredicate;
import java.util.function.DoubleSupplier;

/**
 * Tail averaging of training epochs (as stochastic weight averaging): keeps the weights of the last
 * {@code epochs} epochs and lets the caller judge their mean. On small data the validation figure
 * of single epochs swings by more than a standard error from one epoch to the next while the
 * weights circle a good region; their mean sits nearer its centre. Not thread-safe.
 */
final class EpochAveraging {
  private final NextItemModel model;
  private final int epochs;
  private final ArrayDeque<Object> recent = new ArrayDeque<>();

  /**
   * @param epochs epochs averaged; 1 or less turns averaging off
   */
  EpochAveraging(NextItemModel model, int epochs) {
    this.model = model;
    this.epochs = epochs;
  }

  /** Remembers the model's weights after an epoch; true when {@code epochs} of them are kept. */
  boolean add() {
    if (epochs <= 1) {
      return false;
    }
    recent.addLast(model.snapshot());
    if (recent.size() > epochs) {
      recent.removeFirst();
    }
    return recent.size() == epochs;
  }

  /** The validation figure of the mean weights, and whether they were kept. */
  record Judgement(double validationNdcg10, boolean kept) {}

  /**
   * Puts the mean of the kept weights in the model, measures them with {@code validation}, offers
   * the figure to {@code keep} (which may snapshot the model), then puts the last epoch's own
   * weights back so that training goes on from them.
   */
  Judgement judgeMean(DoubleSupplier validation, DoublePredicate keep) {
    model.restore(model.meanOf(new ArrayList<>(recent)));
    try {
      double figure = validation.getAsDouble();
      return new Judgement(figure, keep.test(figure));
    } finally {
      model.restore(recent.peekLast());
    }
  }

  int epochs() {
    return epochs;
  }
}
