package io.recsys.model.retrieval;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live recall of the index path: on a sample of served lists (the caller checks them, {@link
 * io.recsys.model.NextItemModel#recommendExhaustively}), the share of the exact top-k (every item
 * scored with the same weights and state) that the list made through the index held. Shared by the
 * versions that follow one another, so that it covers the instance's whole run. Thread-safe.
 */
public final class RecallTally {
  private final AtomicLong found = new AtomicLong();
  private final AtomicLong wanted = new AtomicLong();

  /** One checked list: {@code found} of the exact top {@code wanted} were in it. */
  public void add(int found, int wanted) {
    this.found.addAndGet(found);
    this.wanted.addAndGet(wanted);
  }

  /** Items of exact top lists checked so far. */
  public long checked() {
    return wanted.get();
  }

  /** The share found; NaN before the first check. */
  public double recall() {
    long w = wanted.get();
    return w == 0 ? Double.NaN : (double) found.get() / w;
  }
}
