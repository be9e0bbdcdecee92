package io.recsys.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What changed in a model since the version serving instances hold: the item rows that changed
 * hands (an item admitted, an expired item released) and every parameter row that moved. Made by
 * {@link PublishedWeights#advanceTo}, applied by {@link NextItemModel#applying}; between two full
 * snapshots it is all a serving instance needs to follow the trainer.
 *
 * <p>Immutable once built. The wire form ({@link #toBytes}) is the format version, the capacity,
 * the update and example counts, the data position, the item rows, then per parameter table the changed row numbers and their
 * values; floats are stored raw (they barely compress).
 */
public final class ModelDelta {
  private static final int FORMAT = 0x52444c31; // "RDL1"

  private final int capacity;
  private final long updateCount;
  private final long examplesTrained;
  private final String dataPosition;
  private final int[] itemRows;
  private final String[] itemIds;
  private final int[] rowLengths;
  private final int[][] rows;
  private final float[][] values;

  ModelDelta(
      int capacity,
      long updateCount,
      long examplesTrained,
      String dataPosition,
      int[] itemRows,
      String[] itemIds,
      int[] rowLengths,
      int[][] rows,
      float[][] values) {
    this.capacity = capacity;
    this.updateCount = updateCount;
    this.examplesTrained = examplesTrained;
    this.dataPosition = dataPosition;
    this.itemRows = itemRows;
    this.itemIds = itemIds;
    this.rowLengths = rowLengths;
    this.rows = rows;
    this.values = values;
  }

  /** Item rows of the model after the delta. */
  public int capacity() {
    return capacity;
  }

  /** Updater steps the model had taken when the delta was made. */
  public long updateCount() {
    return updateCount;
  }

  /** Examples the model had trained on when the delta was made. */
  public long examplesTrained() {
    return examplesTrained;
  }

  /** The model's {@link NextItemModel#dataPosition()} when the delta was made. */
  public String dataPosition() {
    return dataPosition;
  }

  /** Item rows whose item changed (admitted or released). */
  public int changedItems() {
    return itemRows.length;
  }

  /** Parameter rows carried, over all tables. */
  public int changedRows() {
    int n = 0;
    for (int[] r : rows) {
      n += r.length;
    }
    return n;
  }

  /** Parameter values carried, over all tables. */
  public long changedValues() {
    long n = 0;
    for (float[] v : values) {
      n += v.length;
    }
    return n;
  }

  int tableCount() {
    return rows.length;
  }

  int rowLength(int table) {
    return rowLengths[table];
  }

  int[] rows(int table) {
    return rows[table];
  }

  float[] values(int table) {
    return values[table];
  }

  int[] itemRows() {
    return itemRows;
  }

  String[] itemIds() {
    return itemIds;
  }

  /** The wire form, read back by {@link #fromBytes}. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(1 << 30, 64 + 4 * changedValues() + 8L * changedRows()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeInt(capacity);
      out.writeLong(updateCount);
      out.writeLong(examplesTrained);
      out.writeUTF(dataPosition);
      out.writeInt(itemRows.length);
      for (int i = 0; i < itemRows.length; i++) {
        out.writeInt(itemRows[i]);
        out.writeBoolean(itemIds[i] != null);
        if (itemIds[i] != null) {
          byte[] id = itemIds[i].getBytes(StandardCharsets.UTF_8);
          out.writeInt(id.length);
          out.write(id);
        }
      }
      out.writeInt(rows.length);
      for (int t = 0; t < rows.length; t++) {
        out.writeInt(rowLengths[t]);
        out.writeInt(rows[t].length);
        ByteBuffer buffer = ByteBuffer.allocate(4 * rows[t].length + 4 * values[t].length);
        buffer.asIntBuffer().put(rows[t]);
        buffer.position(4 * rows[t].length);
        buffer.slice().asFloatBuffer().put(values[t]);
        out.write(buffer.array());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a delta written by {@link #toBytes}.
   *
   * @throws IOException if the bytes are not a delta or are cut short
   */
  public static ModelDelta fromBytes(byte[] data) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("not a model delta (format word " + Integer.toHexString(format) + ")");
    }
    int capacity = in.readInt();
    long updateCount = in.readLong();
    long examplesTrained = in.readLong();
    String dataPosition = in.readUTF();
    int items = nonNegative(in.readInt(), "item rows");
    int[] itemRows = new int[items];
    String[] itemIds = new String[items];
    for (int i = 0; i < items; i++) {
      itemRows[i] = in.readInt();
      if (in.readBoolean()) {
        int length = nonNegative(in.readInt(), "item id length");
        itemIds[i] = new String(readFully(in, length), StandardCharsets.UTF_8);
      }
    }
    int tables = nonNegative(in.readInt(), "tables");
    int[] rowLengths = new int[tables];
    int[][] rows = new int[tables][];
    float[][] values = new float[tables][];
    for (int t = 0; t < tables; t++) {
      rowLengths[t] = nonNegative(in.readInt(), "row length");
      int count = nonNegative(in.readInt(), "rows");
      ByteBuffer buffer =
          ByteBuffer.wrap(readFully(in, Math.multiplyExact(4, Math.addExact(count, Math.multiplyExact(count, rowLengths[t])))));
      rows[t] = new int[count];
      buffer.asIntBuffer().get(rows[t]);
      buffer.position(4 * count);
      values[t] = new float[count * rowLengths[t]];
      buffer.slice().asFloatBuffer().get(values[t]);
    }
    if (in.available() > 0) {
      throw new IOException("model delta has " + in.available() + " bytes after its last table");
    }
    return new ModelDelta(
        capacity, updateCount, examplesTrained, dataPosition, itemRows, itemIds, rowLengths, rows, values);
  }

  private static int nonNegative(int value, String what) throws IOException {
    if (value < 0) {
      throw new IOException("model delta is corrupt: " + what + " count " + value);
    }
    return value;
  }

  private static byte[] readFully(DataInputStream in, int length) throws IOException {
    byte[] b = in.readNBytes(length);
    if (b.length != length) {
      throw new IOException("model delta is cut short: expected " + length + " more bytes");
    }
    return b;
  }
}
