package io.recsys.app.modelsync;

import io.recsys.app.modelsync.ModelUpdates.ModelVersion;
import io.recsys.model.CarriedStates;
import io.recsys.model.NextItemModel;
import io.recsys.model.RecommendedItem;
import io.recsys.model.SequenceState;
import io.recsys.model.ServedModel;
import io.recsys.model.retrieval.Retrieval;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model version this instance serves, swapped atomically when a new one arrives so that the
 * stream never pauses: a request in flight finishes on the version it started with. With an {@link
 * IndexMaintainer}, each version is given its candidate index before it is published. Thread-safe.
 */
public final class CurrentModel implements AutoCloseable {
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong lineages = new AtomicLong();
  private final IndexMaintainer index;

  /** Serving that scores every item, whatever the catalogue's size. */
  public CurrentModel() {
    this.index = null;
  }

  /** Serving through a candidate index once the catalogue is large enough ({@code index}). */
  public CurrentModel(IndexMaintainer index) {
    this.index = index;
    index.onBuilt(
        built -> {
          Loaded served = current.get();
          if (served != null && index.wantsIndex(served.model())) {
            index.adopt(built, served.model());
          }
        });
  }

  /**
   * A loaded version; its model is used under its own lock (the model is not thread-safe). Versions
   * of one lineage continue each other by deltas; a snapshot (periodic, promoted or rolled back)
   * starts a new lineage, which is what tells {@link CarriedStates} to drop states computed with
   * older weights.
   */
  public record Loaded(ModelVersion version, NextItemModel model, long lineage)
      implements ServedModel {
    public Loaded(ModelVersion version, NextItemModel model) {
      this(version, model, 0);
    }

    public List<RecommendedItem> recommend(List<String> history, int k) {
      return recommendAll(List.of(history), k).get(0);
    }

    /** See {@link NextItemModel#states}. */
    @Override
    public List<SequenceState> states(List<List<String>> histories) {
      synchronized (model) {
        return model.states(histories);
      }
    }

    /** See {@link NextItemModel#step}. */
    @Override
    public List<SequenceState> step(List<SequenceState> states, List<String> items) {
      synchronized (model) {
        return model.step(states, items);
      }
    }

    /** See {@link NextItemModel#recommend(List, List, int)}. */
    @Override
    public List<List<RecommendedItem>> recommendFrom(
        List<SequenceState> states, List<List<String>> excluded, int k) {
      synchronized (model) {
        return model.recommend(states, excluded, k);
      }
    }

    /** See {@link NextItemModel#recommendExhaustively}. */
    @Override
    public List<List<RecommendedItem>> recommendExhaustivelyFrom(
        List<SequenceState> states, List<List<String>> excluded, int k) {
      synchronized (model) {
        return model.recommendExhaustively(states, excluded, k);
      }
    }

    /** One call for many users: the model scores them in one batch, far cheaper per user. */
    public List<List<RecommendedItem>> recommendAll(List<List<String>> histories, int k) {
      synchronized (model) {
        return model.recommend(histories, k);
      }
    }

    /** See {@link NextItemModel#strongestSupport}. */
    public List<String> strongestSupport(List<List<String>> histories, List<String> targets) {
      synchronized (model) {
        return model.strongestSupport(histories, targets);
      }
    }

    /** Items the model has rows for. */
    public int knownItemCount() {
      synchronized (model) {
        return model.vocabulary().size();
      }
    }

    /** How many of {@code history}'s items the model has rows for. */
    public int knownItems(List<String> history) {
      synchronized (model) {
        int known = 0;
        for (String item : history) {
          if (model.vocabulary().rowOf(item) >= 0) {
            known++;
          }
        }
        return known;
      }
    }
  }

  public Optional<Loaded> get() {
    return Optional.ofNullable(current.get());
  }

  /**
   * Serves {@code model} from now on, as a new lineage (a snapshot). The replaced model is left to
   * the garbage collector.
   */
  public void swap(ModelVersion version, NextItemModel model) {
    prepare(model);
    current.set(new Loaded(version, model, lineages.incrementAndGet()));
  }

  /** Serves {@code model}, made from the served one by deltas, in the served one's lineage. */
  public void advance(ModelVersion version, NextItemModel model) {
    prepare(model);
    Loaded served = current.get();
    current.set(
        new Loaded(version, model, served != null ? served.lineage() : lineages.incrementAndGet()));
  }

  private void prepare(NextItemModel model) {
    if (index != null) {
      index.prepare(model);
    }
  }

  /** The served model's candidate index, or null while it scores every item. */
  public Optional<Retrieval> retrieval() {
    return get().map(loaded -> loaded.model().retrieval());
  }

  /** The index path's sampled recall@k since this instance started; NaN before any sample. */
  public double indexRecall() {
    return index == null ? Double.NaN : index.recall().recall();
  }

  /** Graphs built for serving since this instance started (0 without an index). */
  public long indexBuilds() {
    return index == null ? 0 : index.builds();
  }

  /** Records a published version that did not load; the served one stayed. */
  public void refused() {
    refused.incrementAndGet();
  }

  /** Published versions refused since this instance started (they did not load). */
  public long refusedCount() {
    return refused.get();
  }

  @Override
  public void close() {
    if (index != null) {
      try {
        index.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Loaded last = current.getAndSet(null);
    if (last != null) {
      synchronized (last.model()) {
        last.model().close();
      }
    }
  }
}
