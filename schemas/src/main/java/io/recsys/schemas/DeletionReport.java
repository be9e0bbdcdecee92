package io.recsys.schemas;

import java.util.Map;
import java.util.TreeMap;

/**
 * The value of the {@code user-deletions-applied} topic (key = the request id): one component's
 * confirmation that it has applied a {@link UserDeletion}. The stream task that owns the user's
 * partition sends one ({@code component = "pipeline"}), and so does every trainer ({@code
 * "trainer"}). Holds no user id, so that the confirmations can be kept and shown as proof.
 *
 * @param schemaVersion layout version, {@link #SCHEMA_VERSION}
 * @param requestId the request applied
 * @param component {@code pipeline} or {@code trainer}
 * @param instance which instance applied it ({@code application.server}, or the application id
 *     where none is advertised)
 * @param partition the user's partition of {@code user-deletions}
 * @param removed per store or topic, what was removed: records deleted from a store (each one a
 *     tombstone on its changelog), or tombstones published on a topic
 * @param appliedAt when it was applied, epoch ms
 */
public record DeletionReport(
    int schemaVersion,
    String requestId,
    String component,
    String instance,
    int partition,
    Map<String, Long> removed,
    long appliedAt) {
  public static final int SCHEMA_VERSION = 1;

  /** The component that owns the user's stores and outputs. */
  public static final String PIPELINE = "pipeline";

  /** The online trainer (carried LSTM states). */
  public static final String TRAINER = "trainer";

  public DeletionReport {
    removed = new TreeMap<>(removed);
  }

  /** Records removed over every store and topic. */
  public long total() {
    return removed.values().stream().mapToLong(Long::longValue).sum();
  }
}
