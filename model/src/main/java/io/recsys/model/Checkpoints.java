package io.recsys.model;

import io.recsys.model.internal.LstmNetwork;
import io.recsys.model.internal.ParamTable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Checkpoint files: a zip holding {@code provenance.properties} (format version, hyperparameters,
 * vocabulary settings, update count, data position, library versions), {@code vocabulary.bin} and
 * {@code network.bin} (every parameter with its Adam moments, the update count and the row mask).
 * Restoring all of it makes training resume bitwise exactly. Written to a temporary file and moved
 * into place, so a crash never leaves a half-written checkpoint under the final name.
 */
final class Checkpoints {
  static final int FORMAT_VERSION = 1;
  private static final String PROVENANCE = "provenance.properties";
  private static final String VOCABULARY = "vocabulary.bin";
  private static final String NETWORK = "network.bin";

  private Checkpoints() {}

  static void save(NextItemModel model, Path file) throws IOException {
    save(model, file, true);
  }

  /**
   * Writes the checkpoint; without the updater state the Adam moments are stored empty, which makes
   * the file about a third of the size for serving instances that never train.
   *
   * <p>A full checkpoint is stored, not compressed: the trainer writes one every 30 s on its own
   * thread, and deflating it stalled training (84,000 items: 3.6 s against 0.4 s stored), which
   * made freshness's tail; it stays on the trainer's disk. A serving checkpoint (a snapshot) is
   * deflated: it crosses the network and is held in a serving instance's memory while it is taken,
   * and deflating it costs less than a third of that (1.4 s).
   */
  static void save(NextItemModel model, Path file, boolean withUpdaterState) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (ZipOutputStream zip =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      zip.setLevel(withUpdaterState ? Deflater.NO_COMPRESSION : 1);
      zip.putNextEntry(new ZipEntry(PROVENANCE));
      provenance(model).store(zip, "recsys model checkpoint");
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(VOCABULARY));
      writeVocabulary(model.vocabulary().state(), new DataOutputStream(zip));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(NETWORK));
      writeNetwork(model.network(), new DataOutputStream(zip), withUpdaterState);
      zip.closeEntry();
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static NextItemModel load(Path file) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return load(in, file.toString());
    }
  }

  static NextItemModel load(InputStream in, String file) throws IOException {
    return load(in, file, true);
  }

  /**
   * Reads a checkpoint from {@code in} entry by entry, each table straight into the new model's
   * arrays, so that loading holds the model once and a few buffers besides; {@code file} names it
   * in errors.
   */
  static NextItemModel load(InputStream in, String file, boolean withUpdaterState)
      throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    Head head = readHead(zip, file);
    ItemVocabulary vocabulary =
        ItemVocabulary.fromState(head.vocabularyConfig(), head.vocabulary());
    LstmNetwork network = NextItemModel.newNetwork(head.config(), vocabulary.capacity());
    readNetwork(network, data(nextEntry(zip, NETWORK, file)), withUpdaterState);
    String currentRate = head.provenance().getProperty("learningRate.current");
    if (currentRate != null) {
      network.setLearningRate(Float.parseFloat(currentRate));
    }
    NextItemModel model = new NextItemModel(head.config(), vocabulary, network);
    model.restoreCounters(head.examplesTrained(), head.dataPosition());
    return model;
  }

  /** What a checkpoint holds before its weights. */
  record Head(
      Properties provenance,
      ModelConfig config,
      VocabularyConfig vocabularyConfig,
      ItemVocabulary.State vocabulary) {
    long examplesTrained() {
      return Long.parseLong(provenance.getProperty("examplesTrained", "0"));
    }

    String dataPosition() {
      return provenance.getProperty("dataPosition", "");
    }
  }

  private static Head readHead(ZipInputStream zip, String file) throws IOException {
    Properties p = new Properties();
    p.load(nextEntry(zip, PROVENANCE, file));
    int version = Integer.parseInt(p.getProperty("format.version", "-1"));
    if (version != FORMAT_VERSION) {
      throw new IOException(
          "checkpoint " + file + " has format version " + version + ", expected " + FORMAT_VERSION);
    }
    VocabularyConfig vocabConfig =
        new VocabularyConfig(
            Integer.parseInt(p.getProperty("vocabulary.initialCapacity")),
            Integer.parseInt(p.getProperty("vocabulary.growthChunk")),
            Integer.parseInt(p.getProperty("vocabulary.minCount")),
            Long.parseLong(p.getProperty("vocabulary.expireAfterMs")));
    ItemVocabulary.State vocabState =
        readVocabulary(
            data(nextEntry(zip, VOCABULARY, file)),
            Long.parseLong(p.getProperty("vocabulary.clockMs", "0")));
    return new Head(p, configFrom(p), vocabConfig, vocabState);
  }

  /**
   * Positions {@code zip} at its next entry, which must be {@code name}: {@link #save} writes the
   * entries in the order provenance, vocabulary, network, so that a reader can stream them.
   */
  private static InputStream nextEntry(ZipInputStream zip, String name, String file)
      throws IOException {
    ZipEntry e = zip.getNextEntry();
    if (e == null) {
      throw new IOException("checkpoint " + file + " has no entry " + name);
    }
    if (!e.getName().equals(name)) {
      throw new IOException(
          "checkpoint " + file + " has entry " + e.getName() + " where " + name + " belongs");
    }
    return zip;
  }

  /** Reads within the current zip entry; never closed, which would close the zip. */
  private static DataInputStream data(InputStream entry) {
    return new DataInputStream(new BufferedInputStream(entry, 1 << 16));
  }

  /**
   * Rows copied into a served model per hold of its lock ({@link #loadInto}): about 4 MB of the
   * output table, a millisecond or two for the stream to wait.
   */
  static final int SLICE_ROWS = 8192;

  /**
   * Makes {@code served} the serving checkpoint that {@code checkpoint} opens, in place (see {@link
   * NextItemModel#reload}). The checkpoint is read twice: first whole, to check every entry and
   * table shape and the zip's checksums before anything changes, then to copy it slice by slice.
   *
   * @return false, having changed nothing, where it does not fit {@code served}
   */
  static boolean loadInto(NextItemModel served, Supplier<InputStream> checkpoint, String file)
      throws IOException {
    Head head;
    try (InputStream in = checkpoint.get()) {
      ZipInputStream zip = new ZipInputStream(in);
      head = readHead(zip, file);
      if (!served.fits(head)) {
        return false;
      }
      checkNetwork(data(nextEntry(zip, NETWORK, file)), served.network(), head, file);
      if (zip.getNextEntry() != null) {
        throw new IOException("checkpoint " + file + " has entries after " + NETWORK);
      }
    }
    try (InputStream in = checkpoint.get()) {
      ZipInputStream zip = new ZipInputStream(in);
      nextEntry(zip, PROVENANCE, file);
      nextEntry(zip, VOCABULARY, file);
      DataInputStream net = data(nextEntry(zip, NETWORK, file));
      int capacity = head.vocabulary().itemAt().length;
      served.beginReload(head.vocabulary(), capacity);
      long step = net.readLong();
      float[] mask = readFloats(net);
      int count = net.readInt();
      for (int t = 0; t < count; t++) {
        int rows = net.readInt();
        int rowLength = net.readInt();
        float[] slice = new float[Math.min(rows, SLICE_ROWS) * rowLength];
        byte[] bytes = new byte[slice.length * 4];
        net.readInt();
        for (int first = 0; first < rows; first += SLICE_ROWS) {
          int n = Math.min(SLICE_ROWS, rows - first);
          net.readFully(bytes, 0, n * rowLength * 4);
          ByteBuffer.wrap(bytes, 0, n * rowLength * 4).asFloatBuffer().get(slice, 0, n * rowLength);
          served.reloadRows(t, first, slice, n);
        }
        // Serving never trains: the updater state of a full checkpoint is not kept.
        skipFloats(net);
        skipFloats(net);
      }
      served.endReload(head, step, mask);
    }
    return true;
  }

  /**
   * Reads the network entry to its end without keeping it, checking that every table has the shape
   * {@code served}'s tables take after growing to the checkpoint's rows, and (by reading to the
   * end) the entry's checksum.
   */
  private static void checkNetwork(DataInputStream in, LstmNetwork served, Head head, String file)
      throws IOException {
    int capacity = head.vocabulary().itemAt().length;
    in.readLong();
    int maskLength = in.readInt();
    if (maskLength != capacity) {
      throw new IOException(
          "checkpoint " + file + " masks " + maskLength + " rows, its vocabulary has " + capacity);
    }
    in.skipNBytes(4L * maskLength);
    ParamTable[] tables = served.tables();
    int count = in.readInt();
    if (count != tables.length) {
      throw new IOException(
          "checkpoint " + file + " has " + count + " tables, expected " + tables.length);
    }
    for (int i = 0; i < tables.length; i++) {
      ParamTable t = tables[i];
      int rows = in.readInt();
      int rowLength = in.readInt();
      int expectedRows = LstmNetwork.isItemTable(i) ? capacity : t.rows();
      if (rows != expectedRows || rowLength != t.rowLength()) {
        throw new IOException(
            "checkpoint "
                + file
                + " has a table of "
                + rows
                + "x"
                + rowLength
                + " where "
                + expectedRows
                + "x"
                + t.rowLength()
                + " belongs");
      }
      long length = (long) rows * rowLength;
      for (int part = 0; part < 3; part++) {
        int n = in.readInt();
        if (n != length && !(part > 0 && n == 0)) {
          throw new IOException(
              "checkpoint " + file + " has " + n + " values where " + length + " belong");
        }
        in.skipNBytes(4L * n);
      }
    }
    if (in.read() != -1) {
      throw new IOException("checkpoint " + file + " has bytes after its last table");
    }
  }

  /** The provenance of a checkpoint without loading its weights. */
  static Properties readProvenance(Path file) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        if (e.getName().equals(PROVENANCE)) {
          Properties p = new Properties();
          p.load(zip);
          return p;
        }
      }
    }
    throw new IOException("checkpoint " + file + " has no entry " + PROVENANCE);
  }

  private static Properties provenance(NextItemModel model) {
    Properties p = new Properties();
    p.setProperty("format.version", Integer.toString(FORMAT_VERSION));
    ModelConfig c = model.config();
    p.setProperty("model.embeddingSize", Integer.toString(c.embeddingSize()));
    p.setProperty("model.hiddenSize", Integer.toString(c.hiddenSize()));
    p.setProperty("model.sequenceLength", Integer.toString(c.sequenceLength()));
    p.setProperty("model.backpropSteps", Integer.toString(c.backpropSteps()));
    p.setProperty("model.dropout", Double.toString(c.dropout()));
    p.setProperty("model.learningRate", Double.toString(c.learningRate()));
    p.setProperty("model.outputLearningRateScale", Double.toString(c.outputLearningRateScale()));
    p.setProperty("model.l2", Double.toString(c.l2()));
    p.setProperty("model.loss", c.loss().name());
    p.setProperty("model.updater", "ADAM");
    p.setProperty("model.negatives", Integer.toString(c.negatives()));
    p.setProperty("model.samplingExponent", Double.toString(c.samplingExponent()));
    p.setProperty("model.maxBatchSize", Integer.toString(c.maxBatchSize()));
    p.setProperty("model.seed", Long.toString(c.seed()));
    VocabularyConfig v = model.vocabulary().config();
    p.setProperty("vocabulary.initialCapacity", Integer.toString(v.initialCapacity()));
    p.setProperty("vocabulary.growthChunk", Integer.toString(v.growthChunk()));
    p.setProperty("vocabulary.minCount", Integer.toString(v.minCount()));
    p.setProperty("vocabulary.expireAfterMs", Long.toString(v.expireAfterMs()));
    p.setProperty("vocabulary.size", Integer.toString(model.vocabulary().size()));
    p.setProperty("vocabulary.clockMs", Long.toString(model.vocabulary().clockMs()));
    p.setProperty("updateCount", Long.toString(model.updateCount()));
    p.setProperty("learningRate.current", Float.toString((float) model.learningRate()));
    p.setProperty("examplesTrained", Long.toString(model.examplesTrained()));
    p.setProperty("dataPosition", model.dataPosition());
    p.setProperty("library.nd4j", BackendInfo.nd4jVersion());
    p.setProperty("library.java", System.getProperty("java.version", "unknown"));
    String codeVersion = Checkpoints.class.getPackage().getImplementationVersion();
    p.setProperty("library.model", codeVersion == null ? "dev" : codeVersion);
    return p;
  }

  private static ModelConfig configFrom(Properties p) {
    return new ModelConfig(
        Integer.parseInt(p.getProperty("model.embeddingSize")),
        Integer.parseInt(p.getProperty("model.hiddenSize")),
        Integer.parseInt(p.getProperty("model.sequenceLength")),
        Integer.parseInt(p.getProperty("model.backpropSteps")),
        Double.parseDouble(p.getProperty("model.dropout")),
        Double.parseDouble(p.getProperty("model.learningRate")),
        // Absent from checkpoints written before the setting existed: they trained at 1.
        Double.parseDouble(p.getProperty("model.outputLearningRateScale", "1.0")),
        Double.parseDouble(p.getProperty("model.l2")),
        LossType.valueOf(p.getProperty("model.loss")),
        Integer.parseInt(p.getProperty("model.negatives")),
        Double.parseDouble(p.getProperty("model.samplingExponent")),
        Integer.parseInt(p.getProperty("model.maxBatchSize")),
        Long.parseLong(p.getProperty("model.seed")));
  }

  private static void writeVocabulary(ItemVocabulary.State s, DataOutputStream out)
      throws IOException {
    out.writeInt(s.itemAt().length);
    out.writeInt(s.highWater());
    for (int row = 0; row < s.itemAt().length; row++) {
      String id = s.itemAt()[row];
      out.writeBoolean(id != null);
      if (id != null) {
        writeString(out, id);
      }
      out.writeLong(s.counts()[row]);
      out.writeLong(s.lastSeenMs()[row]);
    }
    // Sorted so that the same state always writes the same bytes.
    String[] keys = s.pending().keySet().toArray(new String[0]);
    java.util.Arrays.sort(keys);
    out.writeInt(keys.length);
    for (String k : keys) {
      writeString(out, k);
      out.writeLong(s.pending().get(k)[0]);
      out.writeLong(s.pending().get(k)[1]);
    }
    out.flush();
  }

  private static ItemVocabulary.State readVocabulary(DataInputStream in, long clockMs)
      throws IOException {
    int capacity = in.readInt();
    int highWater = in.readInt();
    String[] itemAt = new String[capacity];
    long[] counts = new long[capacity];
    long[] lastSeen = new long[capacity];
    for (int row = 0; row < capacity; row++) {
      if (in.readBoolean()) {
        itemAt[row] = readString(in);
      }
      counts[row] = in.readLong();
      lastSeen[row] = in.readLong();
    }
    int pendingCount = in.readInt();
    Map<String, long[]> pending = new HashMap<>();
    for (int i = 0; i < pendingCount; i++) {
      String k = readString(in);
      pending.put(k, new long[] {in.readLong(), in.readLong()});
    }
    return new ItemVocabulary.State(itemAt, counts, lastSeen, highWater, pending, clockMs);
  }

  private static void writeNetwork(LstmNetwork net, DataOutputStream out, boolean withUpdaterState)
      throws IOException {
    out.writeLong(net.step());
    writeFloats(out, net.logitMask());
    ParamTable[] tables = net.tables();
    out.writeInt(tables.length);
    for (ParamTable t : tables) {
      out.writeInt(t.rows());
      out.writeInt(t.rowLength());
      writeFloats(out, t.values());
      writeFloats(out, withUpdaterState ? t.firstMoment() : new float[0]);
      writeFloats(out, withUpdaterState ? t.secondMoment() : new float[0]);
    }
    out.flush();
  }

  /** Reads the network entry into {@code net}; the updater state is skipped unless asked for. */
  private static void readNetwork(LstmNetwork net, DataInputStream in, boolean withUpdaterState)
      throws IOException {
    long step = in.readLong();
    float[] mask = readFloats(in);
    ParamTable[] tables = net.tables();
    int count = in.readInt();
    if (count != tables.length) {
      throw new IOException("checkpoint has " + count + " tables, expected " + tables.length);
    }
    for (ParamTable t : tables) {
      int rows = in.readInt();
      int rowLength = in.readInt();
      if (rows != t.rows() || rowLength != t.rowLength()) {
        throw new IOException(
            "table shape "
                + rows
                + "x"
                + rowLength
                + " does not match "
                + t.rows()
                + "x"
                + t.rowLength());
      }
      readFloatsInto(in, t.values());
      float[] first = withUpdaterState ? readFloats(in) : skipFloats(in);
      float[] second = withUpdaterState ? readFloats(in) : skipFloats(in);
      // A serving checkpoint has no updater state: training from it starts Adam afresh.
      t.restore(t.values(), first.length == 0 ? null : first, second.length == 0 ? null : second);
    }
    net.restoreState(step, mask);
  }

  /** Through a small buffer, as {@link #readInto}: a large table is never copied whole. */
  private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    byte[] buffer = new byte[1 << 16];
    FloatBuffer floats = ByteBuffer.wrap(buffer).asFloatBuffer();
    for (int done = 0; done < a.length; ) {
      int n = Math.min(buffer.length / 4, a.length - done);
      floats.clear();
      floats.put(a, done, n);
      out.write(buffer, 0, n * 4);
      done += n;
    }
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    float[] a = new float[in.readInt()];
    readInto(in, a);
    return a;
  }

  /** Passes over a float table; returns none. */
  private static float[] skipFloats(DataInputStream in) throws IOException {
    in.skipNBytes(4L * in.readInt());
    return new float[0];
  }

  /** Reads a float table of exactly {@code target}'s length into it. */
  private static void readFloatsInto(DataInputStream in, float[] target) throws IOException {
    int n = in.readInt();
    if (n != target.length) {
      throw new IOException("float table of " + n + " values, expected " + target.length);
    }
    readInto(in, target);
  }

  /** Fills {@code target} through a small buffer: a table is never held twice, as bytes. */
  private static void readInto(DataInputStream in, float[] target) throws IOException {
    byte[] buffer = new byte[1 << 16];
    FloatBuffer floats = ByteBuffer.wrap(buffer).asFloatBuffer();
    int done = 0;
    while (done < target.length) {
      int n = Math.min(buffer.length / 4, target.length - done);
      try {
        in.readFully(buffer, 0, n * 4);
      } catch (EOFException e) {
        throw new IOException("truncated float table: expected " + target.length + " floats", e);
      }
      floats.clear();
      floats.get(target, done, n);
      done += n;
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readString(DataInputStream in) throws IOException {
    int n = in.readInt();
    return new String(in.readNBytes(n), StandardCharsets.UTF_8);
  }
}
