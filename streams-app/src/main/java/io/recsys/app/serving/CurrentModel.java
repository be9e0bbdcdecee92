package io.recsys.app.serving;

import io.recsys.app.serving.ModelUpdates.ModelVersion;
import io.recsys.model.NextItemModel;
import io.recsys.model.RecommendedItem;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model version this instance serves, swapped atomically when a new one arrives so that the
 * stream never pauses: a request in flight finishes on the version it started with. Thread-safe.
 */
public final class CurrentModel implements AutoCloseable {
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private final AtomicLong refused = new AtomicLong();

  /** A loaded version; its model is used under its own lock (the model is not thread-safe). */
  public record Loaded(ModelVersion version, NextItemModel model) {
    public List<RecommendedItem> recommend(List<String> history, int k) {
      return recommendAll(List.of(history), k).get(0);
    }

    /** One call for many users: the model scores them in one batch, far cheaper per user. */
    public List<List<RecommendedItem>> recommendAll(List<List<String>> histories, int k) {
      synchronized (model) {
        return model.recommend(histories, k);
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

  /** Serves {@code model} from now on. The replaced model is left to the garbage collector. */
  public void swap(ModelVersion version, NextItemModel model) {
    current.set(new Loaded(version, model));
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
    Loaded last = current.getAndSet(null);
    if (last != null) {
      synchronized (last.model()) {
        last.model().close();
      }
    }
  }
}
