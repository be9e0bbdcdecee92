package io.recsys.app.retrain;

import io.recsys.features.FeatureSerdes;
import io.recsys.features.UserFeatures;
import io.recsys.model.data.Interaction;
import io.recsys.schemas.UserEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * Per-user state rebuilt from replayed records in a RocksDB directory of the retrain's own, never
 * the live application's: the same {@link UserFeatures} the live {@code user-features} store keeps
 * (same type, same serde, same update rule), plus each user's complete history, which the live
 * store truncates but training needs whole.
 *
 * <p>History keys are {@code h 0 user 0 eventTime(8 bytes, big-endian) sequence(8 bytes)}, so one
 * ordered scan yields each user's events in event-time order, ties in the order they were read
 * (offset order: a user's events share a partition). The directory must be new or empty; the
 * write-ahead log is off because a crashed rebuild is simply started again.
 *
 * <p>Close after use; it holds native memory.
 */
public final class RebuiltFeatures implements AutoCloseable {
  private static final byte FEATURES = 'f';
  private static final byte HISTORY = 'h';

  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final int recentItems;
  private final Serializer<UserFeatures> featuresOut = FeatureSerdes.userFeatures().serializer();
  private final Deserializer<UserFeatures> featuresIn = FeatureSerdes.userFeatures().deserializer();
  private long sequence;
  private long users;

  /**
   * @param dir a directory that does not exist or is empty
   * @param recentItems how many recent items the features keep ({@code
   *     recsys.features.recent.items})
   */
  public RebuiltFeatures(Path dir, int recentItems) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "retrain work directory " + dir + " is not empty; give a new or empty one");
        }
      }
    }
    Files.createDirectories(dir);
    this.recentItems = recentItems;
    this.options = new Options().setCreateIfMissing(true);
    this.writeOptions = new WriteOptions().setDisableWAL(true);
    try {
      this.db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      options.close();
      writeOptions.close();
      throw new IOException("cannot open the retrain feature store in " + dir, e);
    }
  }

  /** Applies one event: the user's features, as the live pipeline would, and the history. */
  public void addEvent(UserEvent event, double weight) throws IOException {
    byte[] key = key(FEATURES, event.userId());
    try {
      byte[] old = db.get(key);
      UserFeatures before = old == null ? UserFeatures.EMPTY : featuresIn.deserialize("", old);
      if (old == null) {
        users++;
      }
      db.put(writeOptions, key, featuresOut.serialize("", before.withEvent(event, recentItems)));
    } catch (RocksDBException e) {
      throw new IOException("retrain feature store: cannot update the features of a user", e);
    }
    addHistory(event.userId(), event.itemId(), weight, event.eventTime());
  }

  /** Appends one item to a user's history (training examples carry no features to rebuild). */
  public void addHistory(String userId, String itemId, double weight, long eventTime)
      throws IOException {
    byte[] user = userId.getBytes(StandardCharsets.UTF_8);
    byte[] key =
        ByteBuffer.allocate(2 + user.length + 1 + 16)
            .put(HISTORY)
            .put((byte) 0)
            .put(user)
            .put((byte) 0)
            .putLong(eventTime ^ Long.MIN_VALUE) // sign flip: unsigned byte order = numeric order
            .putLong(sequence++)
            .array();
    byte[] item = itemId.getBytes(StandardCharsets.UTF_8);
    byte[] value = ByteBuffer.allocate(8 + item.length).putDouble(weight).put(item).array();
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new IOException("retrain feature store: cannot append to a user's history", e);
    }
  }

  /** Users whose features were rebuilt (events only). */
  public long users() {
    return users;
  }

  /** A user's rebuilt features, or null when the replay had no event of the user. */
  public UserFeatures features(String userId) throws IOException {
    try {
      byte[] value = db.get(key(FEATURES, userId));
      return value == null ? null : featuresIn.deserialize("", value);
    } catch (RocksDBException e) {
      throw new IOException("retrain feature store: cannot read the features of a user", e);
    }
  }

  /**
   * Every user's history as interactions, sorted by event time; ties by user id, then read order,
   * so the result does not depend on how the consumer interleaved partitions. Consecutive events of
   * a user on the same item count once, as in the live pipeline's training examples: the model
   * learns moves between items, not funnel stages. The weight goes in the rating field.
   */
  public List<Interaction> interactions() {
    List<Interaction> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      String lastUser = null;
      String lastItem = null;
      for (it.seek(new byte[] {HISTORY, 0}); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k[0] != HISTORY) {
          break;
        }
        int userEnd = 2;
        while (k[userEnd] != 0) {
          userEnd++;
        }
        String user = new String(k, 2, userEnd - 2, StandardCharsets.UTF_8);
        long time = ByteBuffer.wrap(k, userEnd + 1, 8).getLong() ^ Long.MIN_VALUE;
        ByteBuffer v = ByteBuffer.wrap(it.value());
        double weight = v.getDouble();
        String item = new String(v.array(), 8, v.array().length - 8, StandardCharsets.UTF_8);
        if (user.equals(lastUser) && item.equals(lastItem)) {
          continue;
        }
        out.add(new Interaction(user, item, weight, time));
        lastUser = user;
        lastItem = item;
      }
    }
    out.sort(Comparator.comparingLong(Interaction::timestampMs)); // stable: ties keep key order
    return out;
  }

  private static byte[] key(byte kind, String userId) {
    byte[] user = userId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + user.length).put(kind).put((byte) 0).put(user).array();
  }

  /** Closes the database, then its options (RocksDB's required order). */
  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }
}
