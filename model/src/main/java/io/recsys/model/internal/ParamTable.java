package io.recsys.model.internal;

import java.util.Arrays;

/**
 * A parameter matrix of {@code rows x rowLength} floats on the Java heap with its Adam moments.
 * Kept on the heap rather than in ND4J so that rows can be added, reset and persisted without
 * native-memory bookkeeping; the network copies it into an ND4J array for the matrix products.
 *
 * <p>The moments may be absent (all zero): a serving copy never trains, and not allocating them
 * saves two thirds of its memory on every model version it swaps in. They are allocated the first
 * time anything asks for them.
 */
public final class ParamTable {
  private final int rowLength;
  private int rows;
  float[] values;
  float[] m;
  float[] v;

  /**
   * Write tracking, so that a reader (the trainer's publisher) can find the rows written since it
   * last looked without comparing every row: a counter of writes, the count at which each row was
   * last written (allocated on the first single-row write), and the count at which every row was.
   */
  private long writes;

  private long[] rowWritten;
  private long allWritten;

  public ParamTable(int rows, int rowLength) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows must be >= 0, got " + rows);
    }
    if (rowLength <= 0) {
      throw new IllegalArgumentException("rowLength must be > 0, got " + rowLength);
    }
    this.rows = rows;
    this.rowLength = rowLength;
    this.values = new float[Math.multiplyExact(rows, rowLength)];
    this.m = new float[values.length];
    this.v = new float[values.length];
  }

  public int rows() {
    return rows;
  }

  public int rowLength() {
    return rowLength;
  }

  public float[] values() {
    return values;
  }

  public float[] firstMoment() {
    ensureMoments();
    return m;
  }

  public float[] secondMoment() {
    ensureMoments();
    return v;
  }

  /** Allocates zero moments if there are none. */
  void ensureMoments() {
    if (m == null) {
      m = new float[values.length];
      v = new float[values.length];
    }
  }

  /** Forgets the moments (they read as zero from now on), for a copy that will only serve. */
  void dropMoments() {
    m = null;
    v = null;
  }

  /** Whether moments are allocated (false: all zero). */
  public boolean hasMoments() {
    return m != null;
  }

  /** Records that {@code row} was written. */
  void markRow(int row) {
    if (rowWritten == null) {
      rowWritten = new long[rows];
    }
    rowWritten[row] = ++writes;
  }

  /** Records that every row was written. */
  void markAll() {
    allWritten = ++writes;
  }

  /** A stamp for {@link #rowsWrittenSince}: the writes so far. */
  public long writes() {
    return writes;
  }

  /** The rows written after {@code stamp} (an earlier {@link #writes()}), in row order. */
  public int[] rowsWrittenSince(long stamp) {
    if (allWritten > stamp) {
      int[] all = new int[rows];
      for (int row = 0; row < rows; row++) {
        all[row] = row;
      }
      return all;
    }
    if (rowWritten == null) {
      return new int[0];
    }
    int count = 0;
    for (int row = 0; row < rows; row++) {
      count += rowWritten[row] > stamp ? 1 : 0;
    }
    int[] written = new int[count];
    int at = 0;
    for (int row = 0; row < rows && at < count; row++) {
      if (rowWritten[row] > stamp) {
        written[at++] = row;
      }
    }
    return written;
  }

  /** Adds rows at the end; old rows, and their Adam moments, keep their exact values. */
  public void grow(int newRows) {
    if (newRows < rows) {
      throw new IllegalArgumentException("cannot shrink from " + rows + " to " + newRows + " rows");
    }
    int length = Math.multiplyExact(newRows, rowLength);
    values = Arrays.copyOf(values, length);
    if (m != null) {
      m = Arrays.copyOf(m, length);
      v = Arrays.copyOf(v, length);
    }
    int oldRows = rows;
    rows = newRows;
    if (rowWritten != null) {
      // Only the new rows count as written: marking every row made the publisher compare the
      // whole table after each growth (14 of the first 100 deltas of a 10^6-item demo run).
      rowWritten = Arrays.copyOf(rowWritten, newRows);
      Arrays.fill(rowWritten, oldRows, newRows, ++writes);
    } else {
      markAll();
    }
  }

  /** Zeroes a row's Adam moments, for a row handed to a new item. */
  public void resetMoments(int row) {
    if (m == null) {
      return;
    }
    Arrays.fill(m, row * rowLength, (row + 1) * rowLength, 0f);
    Arrays.fill(v, row * rowLength, (row + 1) * rowLength, 0f);
  }

  /**
   * Replaces all values and moments, for loading a checkpoint; null moments (a serving checkpoint)
   * read as zero.
   */
  public void restore(float[] newValues, float[] newM, float[] newV) {
    if (newValues.length != values.length
        || (newM != null && newM.length != values.length)
        || (newV != null && newV.length != values.length)
        || (newM == null) != (newV == null)) {
      throw new IllegalArgumentException(
          "restored table has "
              + newValues.length
              + " values, expected "
              + values.length
              + " ("
              + rows
              + " x "
              + rowLength
              + ")");
    }
    values = newValues;
    m = newM;
    v = newV;
    markAll();
  }

  public ParamTable copy() {
    ParamTable c = new ParamTable(0, rowLength);
    c.rows = rows;
    c.values = values.clone();
    c.m = m == null ? null : m.clone();
    c.v = v == null ? null : v.clone();
    return c;
  }
}
