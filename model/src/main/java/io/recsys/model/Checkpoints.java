package io.recsys.model;

import io.recsys.model.internal.LstmNetwork;
import io.recsys.model.internal.ParamTable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
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
   */
  static void save(NextItemModel model, Path file, boolean withUpdaterState) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (ZipOutputStream zip =
        new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      // Float tables barely compress; storing them fast matters more than a few percent.
      zip.setLevel(1);
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

  /** Reads a checkpoint from {@code in}; {@code file} names it in errors. */
  static NextItemModel load(InputStream in, String file) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    ZipInputStream zip = new ZipInputStream(in);
    ZipEntry e;
    while ((e = zip.getNextEntry()) != null) {
      entries.put(e.getName(), zip.readAllBytes());
    }
    for (String name : new String[] {PROVENANCE, VOCABULARY, NETWORK}) {
      if (!entries.containsKey(name)) {
        throw new IOException("checkpoint " + file + " has no entry " + name);
      }
    }
    Properties p = new Properties();
    p.load(new ByteArrayInputStream(entries.get(PROVENANCE)));
    int version = Integer.parseInt(p.getProperty("format.version", "-1"));
    if (version != FORMAT_VERSION) {
      throw new IOException(
          "checkpoint " + file + " has format version " + version + ", expected " + FORMAT_VERSION);
    }
    ModelConfig config = configFrom(p);
    VocabularyConfig vocabConfig =
        new VocabularyConfig(
            Integer.parseInt(p.getProperty("vocabulary.initialCapacity")),
            Integer.parseInt(p.getProperty("vocabulary.growthChunk")),
            Integer.parseInt(p.getProperty("vocabulary.minCount")),
            Long.parseLong(p.getProperty("vocabulary.expireAfterMs")));
    ItemVocabulary.State vocabState =
        readVocabulary(
            new DataInputStream(stream(entries, VOCABULARY)),
            Long.parseLong(p.getProperty("vocabulary.clockMs", "0")));
    ItemVocabulary vocabulary = ItemVocabulary.fromState(vocabConfig, vocabState);
    LstmNetwork network = NextItemModel.newNetwork(config, vocabulary.capacity());
    readNetwork(network, new DataInputStream(stream(entries, NETWORK)));
    String currentRate = p.getProperty("learningRate.current");
    if (currentRate != null) {
      network.setLearningRate(Float.parseFloat(currentRate));
    }
    NextItemModel model = new NextItemModel(config, vocabulary, network);
    model.restoreCounters(
        Long.parseLong(p.getProperty("examplesTrained", "0")), p.getProperty("dataPosition", ""));
    return model;
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

  private static InputStream stream(Map<String, byte[]> entries, String name) {
    return new ByteArrayInputStream(entries.get(name));
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

  private static void readNetwork(LstmNetwork net, DataInputStream in) throws IOException {
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
      float[] values = readFloats(in);
      float[] first = readFloats(in);
      float[] second = readFloats(in);
      // A serving checkpoint has no updater state: training from it starts Adam afresh.
      t.restore(values, first.length == 0 ? null : first, second.length == 0 ? null : second);
    }
    net.restoreState(step, mask);
  }

  private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
    out.writeInt(a.length);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(a.length * 4);
    buf.asFloatBuffer().put(a);
    out.write(buf.array());
  }

  private static float[] readFloats(DataInputStream in) throws IOException {
    int n = in.readInt();
    byte[] bytes = in.readNBytes(n * 4);
    if (bytes.length != n * 4) {
      throw new IOException("truncated float table: expected " + n + " floats");
    }
    float[] a = new float[n];
    java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
    return a;
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
