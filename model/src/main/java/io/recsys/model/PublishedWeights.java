package io.recsys.model;

import io.recsys.model.internal.ParamTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The trainer's copy of what serving instances hold: the parameter values and item rows of the
 * last full snapshot, advanced by every delta published since. A delta is the difference between
 * the model and this copy, never between two trainer states, so rounding by the tolerance cannot
 * accumulate: a served weight is always within the tolerance of the trainer's weight.
 *
 * <p>Not thread-safe: the trainer thread owns it together with the model.
 */
public final class PublishedWeights {
  private final float tolerance;
  private String[] items;
  private final float[][] values;
  private final int[] rowLengths;

  private PublishedWeights(float tolerance, String[] items, float[][] values, int[] rowLengths) {
    this.tolerance = tolerance;
    this.items = items;
    this.values = values;
    this.rowLengths = rowLengths;
  }

  /**
   * The weights a full snapshot of {@code model} publishes.
   *
   * @param tolerance a parameter row goes into a delta once any of its values has moved by more
   *     than this from the published value; 0 sends every row that changed at all
   */
  public static PublishedWeights of(NextItemModel model, double tolerance) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
    }
    ParamTable[] tables = model.network().tables();
    float[][] values = new float[tables.length][];
    int[] rowLengths = new int[tables.length];
    for (int t = 0; t < tables.length; t++) {
      values[t] = tables[t].values().clone();
      rowLengths[t] = tables[t].rowLength();
    }
    return new PublishedWeights((float) tolerance, items(model), values, rowLengths);
  }

  /** Parameter rows of every table, the denominator of a delta's {@link ModelDelta#changedRows()}. */
  public int rows() {
    int n = 0;
    for (int t = 0; t < values.length; t++) {
      n += values[t].length / rowLengths[t];
    }
    return n;
  }

  /**
   * The delta that takes serving instances from these weights to {@code model}'s, and these
   * weights along with it: afterwards they equal what a serving instance holds once it has
   * applied the delta.
   *
   * @throws IllegalArgumentException if {@code model} is shaped differently (another model)
   */
  public ModelDelta advanceTo(NextItemModel model) {
    ParamTable[] tables = model.network().tables();
    if (tables.length != values.length) {
      throw new IllegalArgumentException(
          "model has " + tables.length + " tables, the published weights " + values.length);
    }
    int[][] rows = new int[tables.length][];
    float[][] rowValues = new float[tables.length][];
    for (int t = 0; t < tables.length; t++) {
      int len = rowLengths[t];
      if (tables[t].rowLength() != len) {
        throw new IllegalArgumentException(
            "table " + t + " has rows of " + tables[t].rowLength() + ", the published " + len);
      }
      float[] now = tables[t].values();
      float[] published = values[t];
      if (now.length < published.length) {
        throw new IllegalArgumentException(
            "table " + t + " shrank from " + published.length + " to " + now.length + " values");
      }
      if (now.length > published.length) {
        published = Arrays.copyOf(published, now.length);
        values[t] = published;
      }
      int publishedRows = published.length / len;
      int[] changed = new int[now.length / len];
      int count = 0;
      for (int row = 0; row < changed.length; row++) {
        if (row >= publishedRows || moved(now, published, row * len, len)) {
          changed[count++] = row;
        }
      }
      rows[t] = Arrays.copyOf(changed, count);
      rowValues[t] = new float[count * len];
      for (int i = 0; i < count; i++) {
        int from = rows[t][i] * len;
        System.arraycopy(now, from, rowValues[t], i * len, len);
        System.arraycopy(now, from, published, from, len);
      }
    }
    String[] current = items(model);
    List<Integer> itemRows = new ArrayList<>();
    for (int row = 0; row < current.length; row++) {
      String before = row < items.length ? items[row] : null;
      if (!Objects.equals(before, current[row])) {
        itemRows.add(row);
      }
    }
    int[] changedItems = itemRows.stream().mapToInt(Integer::intValue).toArray();
    String[] ids = new String[changedItems.length];
    for (int i = 0; i < changedItems.length; i++) {
      ids[i] = current[changedItems[i]];
    }
    items = current;
    return new ModelDelta(
        model.vocabulary().capacity(),
        model.updateCount(),
        model.examplesTrained(),
        model.dataPosition(),
        changedItems,
        ids,
        rowLengths.clone(),
        rows,
        rowValues);
  }

  private boolean moved(float[] now, float[] published, int from, int length) {
    for (int k = from; k < from + length; k++) {
      // Written so that NaN counts as moved.
      if (!(Math.abs(now[k] - published[k]) <= tolerance)) {
        return true;
      }
    }
    return false;
  }

  private static String[] items(NextItemModel model) {
    ItemVocabulary vocabulary = model.vocabulary();
    String[] items = new String[vocabulary.capacity()];
    for (int row = 0; row < items.length; row++) {
      items[row] = vocabulary.itemAt(row);
    }
    return items;
  }
}
