package io.recsys.app.modelsync;

import io.recsys.model.NextItemModel;
import io.recsys.model.retrieval.IndexSettings;
import io.recsys.model.retrieval.ItemIndex;
import io.recsys.model.retrieval.RecallTally;
import io.recsys.model.retrieval.Retrieval;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each served model's candidate index in step with the versions that arrive, without the
 * stream ever waiting for a graph.
 *
 * <p>Below {@link IndexSettings#minItems()} items a model scores every item. Above, the first
 * version starts a build on a background thread and serves exhaustively until it is done. A delta
 * carries the served model's index on by itself ({@link NextItemModel#apply}), marking the items it
 * moved beyond the drift tolerance, which are scored exactly until the next graph; so does a
 * snapshot copied into the served model ({@link NextItemModel#reload}), and one loaded beside it
 * adopts the newest graph by comparing every row. Once the marked items pass {@link
 * IndexSettings#rebuildFraction()} of the graph, the graph is refreshed from the newest version
 * (its links copied and the marked items linked in anew, {@link ItemIndex#refreshed}; built anew
 * where a refresh would make more than 35% of its nodes moved items' old ones) and adopted by the
 * served model (and every later one) when done, at most once per 30 s and per ten times the last
 * one's duration. Thread-safe.
 */
public final class IndexMaintainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IndexMaintainer.class);

  /**
   * A new graph waits at least this long after the last one was done, and at least {@link
   * #IDLE_FACTOR} times as long as that one took: building then uses at most a tenth of its
   * threads' time. Without it, a growing catalogue kept the builder busy without a pause (a new
   * graph every 3-8 s at 10^4 items, each one already 5% behind when done) and the pipeline's rate
   * fell from 1,700 to 100 events/s on 2 cores.
   */
  private static final long MIN_REBUILD_INTERVAL_MS = 30_000;

  private static final int IDLE_FACTOR = 9;

  /**
   * A graph refreshed in place of a new one ({@link ItemIndex#refreshed}) keeps moved items' old
   * nodes as waypoints; where a refresh would make them more than this share of its nodes, the
   * graph is built anew instead.
   */
  static final double MAX_STALE_SHARE = 0.35;

  /** Half the cores link the graph (at least one): the rest keep serving and training. */
  private static final int BUILD_THREADS =
      Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private final IndexSettings settings;
  private final ExecutorService builder;
  private final AtomicReference<ItemIndex> newest = new AtomicReference<>();
  private final AtomicBoolean building = new AtomicBoolean();
  private final AtomicLong builds = new AtomicLong();
  private final RecallTally recall = new RecallTally();

  /** When the next build may start (System.nanoTime()); 0 before the first. */
  private volatile long nextBuildNanos;

  private volatile Consumer<ItemIndex> onBuilt = index -> {};

  public IndexMaintainer(IndexSettings settings) {
    this.settings = settings;
    this.builder =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "recsys-index-builder");
              thread.setDaemon(true);
              // The graph is background work: serving and training come first.
              thread.setPriority(Thread.MIN_PRIORITY);
              return thread;
            });
  }

  public IndexSettings settings() {
    return settings;
  }

  /** Called with each new graph once it is built; versions prepared after that adopt it anyway. */
  void onBuilt(Consumer<ItemIndex> listener) {
    this.onBuilt = listener;
  }

  /**
   * Gives {@code model} the retrieval it should serve with, before it is published; runs on the
   * thread that made the version (the model follower), never on a stream thread.
   */
  public void prepare(NextItemModel model) {
    if (!wantsIndex(model)) {
      model.useRetrieval(null);
      return;
    }
    ItemIndex built = newest.get();
    Retrieval retrieval = model.retrieval();
    if (built != null && (retrieval == null || retrieval.index() != built)) {
      retrieval = adopt(built, model);
    }
    if (retrieval == null || retrieval.wantsRebuild()) {
      startBuild(model);
    }
  }

  /** Whether {@code model} is large enough to serve through an index. */
  boolean wantsIndex(NextItemModel model) {
    return model.vocabulary().size() >= settings.minItems();
  }

  /** Serves {@code model} through {@code index}: compares every row with the indexed vectors. */
  Retrieval adopt(ItemIndex index, NextItemModel model) {
    Retrieval retrieval = Retrieval.of(index, model.itemVectors(), settings, recall);
    model.useRetrieval(retrieval);
    return retrieval;
  }

  private void startBuild(NextItemModel model) {
    if (System.nanoTime() < nextBuildNanos || !building.compareAndSet(false, true)) {
      return;
    }
    builder.execute(
        () -> {
          long startNanos = System.nanoTime();
          try {
            // Without the model's lock: a delta applied meanwhile may move rows as they are copied;
            // the graph then holds a mix of two versions, and drift is measured against what it
            // holds, so the rows it got wrong are scored exactly until the next graph.
            ItemIndex previous = newest.get();
            Optional<ItemIndex> refreshed =
                previous != null && previous.width() == model.itemVectors().width()
                    ? previous.refreshed(
                        model.itemVectors(), settings, BUILD_THREADS, MAX_STALE_SHARE)
                    : Optional.empty();
            boolean refresh = refreshed.isPresent();
            ItemIndex index =
                refreshed.orElseGet(
                    () -> ItemIndex.build(model.itemVectors(), settings, BUILD_THREADS));
            newest.set(index);
            onBuilt.accept(index);
            builds.incrementAndGet();
            if (refresh) {
              LOG.info(
                  "Refreshed the serving index: {} items linked anew in {} ms ({} nodes, {}%"
                      + " waypoints, {} MB)",
                  index.size() - previous.size(),
                  index.buildMillis(),
                  index.size(),
                  Math.round(100 * index.staleShare()),
                  index.ramBytes() >> 20);
            } else {
              LOG.info(
                  "Built the serving index over {} items in {} ms ({} MB)",
                  index.size(),
                  index.buildMillis(),
                  index.ramBytes() >> 20);
            }
          } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("Building the serving index failed; serving scores every item", e);
          } finally {
            long tookMs = (System.nanoTime() - startNanos) / 1_000_000;
            nextBuildNanos =
                System.nanoTime()
                    + Math.max(MIN_REBUILD_INTERVAL_MS, IDLE_FACTOR * tookMs) * 1_000_000;
            building.set(false);
          }
        });
  }

  /** The index path's recall, sampled on serving calls of every version since the start. */
  public RecallTally recall() {
    return recall;
  }

  /** The newest graph built, or null before the first. */
  public ItemIndex newest() {
    return newest.get();
  }

  /**
   * Graphs built or refreshed since this instance started (each already adopted by the served
   * model).
   */
  public long builds() {
    return builds.get();
  }

  @Override
  public void close() throws InterruptedException {
    builder.shutdownNow();
    builder.awaitTermination(10, TimeUnit.SECONDS);
  }
}
