package io.recsys.app.modelsync;

import io.recsys.app.modelsync.ModelUpdates.Assembled;
import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.model.ModelDelta;
import io.recsys.model.NextItemModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the versions read from {@code model-updates} into the model to serve. A snapshot replaces
 * whatever came before it; a delta continues the version it names as its base and is skipped when
 * that is not the version the chain ends at (its snapshot was refused or lies before the point this
 * reader started from): the reader then waits for the trainer's next snapshot.
 *
 * <p>Versions are only collected by {@link #add}; {@link #build} does the work once per batch of
 * records, so an instance catching up on a long topic loads one snapshot and applies the deltas
 * after it, not every version on the way. Not thread-safe: one follower thread owns it.
 */
public final class VersionChain {
  private static final Logger LOG = LoggerFactory.getLogger(VersionChain.class);

  private Assembled snapshot;
  private final List<Assembled> deltas = new ArrayList<>();

  /** The version the collected updates end at; null when nothing is collected. */
  private String head;

  private long skippedDeltas;

  /**
   * The model to serve once everything collected is applied.
   *
   * @param deltas deltas applied to reach it
   * @param bytes payload bytes read to reach it
   * @param fromSnapshot false when it is the served model with deltas applied (same lineage); true
   *     for a snapshot, whether loaded anew or copied into the served model
   */
  public record Built(
      ModelVersion version, NextItemModel model, int deltas, long bytes, boolean fromSnapshot) {}

  /**
   * Collects one complete version.
   *
   * @param served the version this reader serves now, or null
   * @return false when the update is a delta that does not continue the chain (skipped)
   */
  public boolean add(Assembled update, String served) {
    if (!update.isDelta()) {
      snapshot = update;
      deltas.clear();
      head = update.version().version();
      return true;
    }
    String expected = head != null ? head : served;
    if (!update.base().equals(expected)) {
      skippedDeltas++;
      return false;
    }
    deltas.add(update);
    head = update.version().version();
    return true;
  }

  /** Whether {@link #build} has something new to serve. */
  public boolean hasPending() {
    return snapshot != null || !deltas.isEmpty();
  }

  /**
   * Loads the newest snapshot collected (or starts from {@code served}) and applies the deltas
   * collected after it; clears what was collected either way. A trainer's snapshot is copied into
   * {@code served} in place where it fits ({@link NextItemModel#reload}: the same hyperparameters,
   * at least as many item rows), so the result is then {@code served} itself, in a new lineage; a
   * promoted version is always loaded as a new model.
   *
   * @param served the model served now, which the deltas continue when no snapshot is collected
   * @throws IOException if the snapshot or a delta does not load or does not fit (the caller keeps
   *     serving what it serves; deltas on the refused version will be skipped)
   */
  public Optional<Built> build(NextItemModel served) throws IOException {
    if (!hasPending()) {
      return Optional.empty();
    }
    Assembled start = snapshot;
    List<Assembled> toApply = new ArrayList<>(deltas);
    snapshot = null;
    deltas.clear();
    head = null;
    long bytes = 0;
    NextItemModel model = served;
    ModelVersion version = null;
    if (start != null) {
      String name = "model-updates version " + start.version().version();
      // A trainer's snapshot continues the served weights: copied in place where it fits, since
      // a large model loaded beside the served one would be held twice. A promoted version is
      // another model altogether, which serving must not mix with the served one while copying.
      boolean inPlace = served != null && !start.fromRegistry() && served.reload(start::open, name);
      if (!inPlace) {
        if (served != null && !start.fromRegistry()) {
          LOG.info(
              "{} does not fit the served model (other hyperparameters or fewer item rows):"
                  + " loading it beside the served one",
              name);
        }
        model = NextItemModel.loadForServing(start.open(), name);
      }
      version = start.version();
      bytes += start.size();
    }
    for (Assembled delta : toApply) {
      if (model == null) {
        throw new IOException("delta " + delta.version().version() + " has no model to apply to");
      }
      ModelDelta parsed = ModelDelta.fromBytes(delta.payload());
      try {
        // In place: a copy per version would cost the whole model's size every publication. The
        // served model is locked meanwhile, as every reader locks it; a newly loaded one is not
        // served yet.
        synchronized (model) {
          model.apply(parsed);
        }
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "delta "
                + delta.version().version()
                + " does not fit "
                + delta.base()
                + ": "
                + e.getMessage(),
            e);
      }
      version = delta.version();
      bytes += delta.size();
    }
    return Optional.of(new Built(version, model, toApply.size(), bytes, start != null));
  }

  /** Deltas skipped since this chain was made: each one waited for a snapshot. */
  public long skippedDeltas() {
    return skippedDeltas;
  }
}
