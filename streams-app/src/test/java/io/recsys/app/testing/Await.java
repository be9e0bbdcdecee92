package io.recsys.app.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a condition in tests against a real broker: polls, fails with a clear message. */
public final class Await {
  /** Long enough for a cold broker, a rebalance and a slow shared CI machine. */
  public static final Duration DEFAULT = Duration.ofSeconds(180);

  private Await() {}

  /** Returns once {@code condition} holds; fails after {@link #DEFAULT}. */
  public static void until(BooleanSupplier condition) throws InterruptedException {
    until(DEFAULT, condition);
  }

  /** Returns once {@code condition} holds; fails after {@code timeout}. */
  public static void until(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(100);
    }
  }
}
