package io.recsys.model;

/**
 * The LSTM's state after a user's items: what serving carries from one event to the next, so that a
 * new item costs the model one step instead of a re-read of the user's recent items. Made by {@link
 * NextItemModel#states} or {@link NextItemModel#step}; opaque and immutable (the arrays never leave
 * this class). It fits only models of the same hidden size.
 */
public final class SequenceState {
  private final float[] hidden;
  private final float[] cell;

  SequenceState(float[] hidden, float[] cell) {
    if (hidden.length != cell.length) {
      throw new IllegalArgumentException(
          "hidden and cell state differ in size: " + hidden.length + " vs " + cell.length);
    }
    this.hidden = hidden;
    this.cell = cell;
  }

  int size() {
    return hidden.length;
  }

  /** A copy of the hidden state: the query an item's logit is the inner product with. */
  public float[] hidden() {
    return hidden.clone();
  }

  void copyHidden(float[] into, int offset) {
    System.arraycopy(hidden, 0, into, offset, hidden.length);
  }

  void copyCell(float[] into, int offset) {
    System.arraycopy(cell, 0, into, offset, cell.length);
  }
}
