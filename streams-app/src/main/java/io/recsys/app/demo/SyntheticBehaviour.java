package io.recsys.app.demo;

import io.recsys.schemas.UserEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An endless, deterministic stream of plausible user behaviour for the demo, with the structure a
 * recommender should find:
 *
 * <ul>
 *   <li>skewed popularity: within a category, items are drawn by a Zipf law over their rank;
 *   <li>tastes: each user has two or three preferred categories that get most of their sessions;
 *   <li>sequences: items form series, and a user on item k of a series usually goes on to k+1;
 *   <li>funnels: views are common, then clicks, carts and purchases on the same item, sometimes a
 *       rating;
 *   <li>a growing catalogue: new items keep appearing and enter near the top of their category,
 *       pushing older ones down its Zipf ranks, so they fade;
 *   <li>optionally, categories of skewed popularity ({@link
 *       SyntheticBehaviourConfig#categorySkew}), for a long tail across a large catalogue;
 *   <li>sessions of many users interleaved, with event time advancing steadily.
 * </ul>
 *
 * Not thread-safe.
 */
public final class SyntheticBehaviour implements Iterator<UserEvent> {
  private static final double ITEM_ZIPF_EXPONENT = 1.0;

  /** Milder than items': a few heavy users, but no single user dominating the stream. */
  private static final double USER_ZIPF_EXPONENT = 0.6;

  private static final double FOLLOW_SERIES = 0.65;
  private static final double STAY_IN_CATEGORY = 0.6;
  private static final double PREFERRED_CATEGORY = 0.85;
  private static final double MEAN_ITEMS_PER_SESSION = 6;

  private final SyntheticBehaviourConfig config;
  private final SplittableRandom random;

  /** Items of each category, most popular first. */
  private final List<List<Integer>> ranked = new ArrayList<>();

  /** Per category, the cumulative Zipf weights over its ranks (rebuilt when the category grows). */
  private final List<double[]> cdfs = new ArrayList<>();

  private final int[][] tastes;
  private final double[] userCdf;
  private final Session[] sessions;
  private int items;
  private double clock;
  private long emitted;

  private static final class Session {
    int user;
    int category;
    int item = -1;
    int itemsLeft;
    final ArrayDeque<String> pendingTypes = new ArrayDeque<>();
  }

  public SyntheticBehaviour(SyntheticBehaviourConfig config) {
    this.config = config;
    this.random = new SplittableRandom(config.seed());
    for (int c = 0; c < config.categories(); c++) {
      ranked.add(new ArrayList<>());
      cdfs.add(new double[0]);
    }
    while (items < config.initialItems()) {
      addSeries(false);
    }
    for (int c = 0; c < config.categories(); c++) {
      rebuildCdf(c);
    }
    this.tastes = new int[config.users()][];
    double[] categoryCdf =
        config.categorySkew() > 0 ? zipfCdf(config.categories(), config.categorySkew()) : null;
    for (int user = 0; user < config.users(); user++) {
      int count = 2 + random.nextInt(2);
      tastes[user] = new int[count];
      for (int i = 0; i < count; i++) {
        tastes[user][i] =
            categoryCdf != null ? sample(categoryCdf) : random.nextInt(config.categories());
      }
    }
    this.userCdf = zipfCdf(config.users(), USER_ZIPF_EXPONENT);
    this.sessions = new Session[config.concurrentSessions()];
    for (int i = 0; i < sessions.length; i++) {
      sessions[i] = new Session();
      startSession(sessions[i]);
    }
    this.clock = config.startTime();
  }

  /** The default behaviour for {@code seed}. */
  public static SyntheticBehaviour create(long seed) {
    return new SyntheticBehaviour(SyntheticBehaviourConfig.defaults(seed));
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public UserEvent next() {
    if (emitted > 0 && emitted % config.newItemEvery() == 0) {
      addSeries(true);
    }
    Session session = sessions[random.nextInt(sessions.length)];
    if (session.pendingTypes.isEmpty()) {
      advance(session);
    }
    String type = session.pendingTypes.poll();
    clock += -Math.log(1 - random.nextDouble()) * config.meanGapMs();
    emitted++;
    Double value = type.equals("rating") ? (double) (1 + random.nextInt(5)) : null;
    return new UserEvent("user-" + session.user, "item-" + session.item, type, value, (long) clock);
  }

  /** Moves the session to its next item (or ends it and starts another) and plans the funnel. */
  private void advance(Session session) {
    if (session.itemsLeft == 0) {
      startSession(session);
    }
    session.item = nextItem(session);
    session.itemsLeft--;
    session.pendingTypes.add("view");
    if (random.nextDouble() < 0.3) {
      session.pendingTypes.add("click");
      if (random.nextDouble() < 0.3) {
        session.pendingTypes.add("cart");
        if (random.nextDouble() < 0.5) {
          session.pendingTypes.add("purchase");
          if (random.nextDouble() < 0.2) {
            session.pendingTypes.add("rating");
          }
        }
      }
    }
  }

  private void startSession(Session session) {
    session.user = sample(userCdf);
    int[] taste = tastes[session.user];
    session.category =
        random.nextDouble() < PREFERRED_CATEGORY
            ? taste[random.nextInt(taste.length)]
            : random.nextInt(config.categories());
    session.item = -1;
    session.itemsLeft =
        1 + (int) (-Math.log(1 - random.nextDouble()) * (MEAN_ITEMS_PER_SESSION - 1));
  }

  private int nextItem(Session session) {
    int current = session.item;
    if (current >= 0
        && (current + 1) % config.seriesLength() != 0
        && current + 1 < items
        && random.nextDouble() < FOLLOW_SERIES) {
      return current + 1;
    }
    if (current >= 0 && random.nextDouble() >= STAY_IN_CATEGORY) {
      int[] taste = tastes[session.user];
      session.category = taste[random.nextInt(taste.length)];
    }
    List<Integer> candidates = ranked.get(session.category);
    int picked = candidates.get(sample(cdfs.get(session.category)));
    // Entering a series mostly at its start, as people do.
    int start = picked - picked % config.seriesLength();
    return random.nextDouble() < 0.5 ? start : picked;
  }

  /** Adds one series of new items to a random category; new ones enter near the top. */
  private void addSeries(boolean rebuild) {
    int category = random.nextInt(config.categories());
    List<Integer> list = ranked.get(category);
    for (int i = 0; i < config.seriesLength(); i++) {
      int item = items++;
      int rank = rebuild ? random.nextInt(Math.max(1, list.size() / 10 + 1)) : list.size();
      list.add(Math.min(rank, list.size()), item);
    }
    if (rebuild) {
      rebuildCdf(category);
    }
  }

  private void rebuildCdf(int category) {
    cdfs.set(category, zipfCdf(ranked.get(category).size(), ITEM_ZIPF_EXPONENT));
  }

  private static double[] zipfCdf(int n, double exponent) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int rank = 0; rank < n; rank++) {
      sum += 1 / Math.pow(rank + 1, exponent);
      cdf[rank] = sum;
    }
    for (int rank = 0; rank < n; rank++) {
      cdf[rank] /= sum;
    }
    return cdf;
  }

  private int sample(double[] cdf) {
    double u = random.nextDouble();
    int low = 0;
    int high = cdf.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cdf[mid] < u) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Number of items in the catalogue so far. */
  public int catalogueSize() {
    return items;
  }
}
