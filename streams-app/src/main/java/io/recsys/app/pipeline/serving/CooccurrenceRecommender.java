package io.recsys.app.pipeline.serving;

import io.recsys.features.ItemNeighbours;
import io.recsys.features.ItemPopularity;
import io.recsys.features.ItemScore;
import io.recsys.model.strategy.CooccurrenceWeights;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The co-occurrence strategy: the items that most often followed (or came just before) the user's
 * newest items in everyone's histories, read from the global {@code item-neighbours} store. Shared
 * by the streaming step and the query API so that both give the same answer.
 */
public final class CooccurrenceRecommender {
  public static final String MODEL_VERSION = "cooccurrence";
  static final String REASON_PREFIX = "often chosen with ";

  private final CooccurrenceWeights weights;
  private final long halfLifeMs;

  public CooccurrenceRecommender(CooccurrenceWeights weights, long halfLifeMs) {
    this.weights = weights;
    this.halfLifeMs = halfLifeMs;
  }

  /**
   * The list, or null when none of the user's newest items has an unseen neighbour yet.
   *
   * @param neighbours an item's published neighbours, or null for an item without any
   * @param recentItems the user's items, oldest first
   * @param asOf event time at which pair weights are expressed
   */
  public Recommendation recommend(
      Function<String, ItemNeighbours> neighbours,
      String userId,
      List<String> recentItems,
      Predicate<String> seen,
      int k,
      long asOf,
      long computedAt) {
    Map<String, Candidate> candidates = new HashMap<>();
    int reach = Math.min(weights.recentItems(), recentItems.size());
    for (int age = 0; age < reach; age++) {
      String source = recentItems.get(recentItems.size() - 1 - age);
      ItemNeighbours row = neighbours.apply(source);
      if (row == null) {
        continue;
      }
      double ageWeight = weights.age(age);
      for (ItemScore neighbour : row.neighbours()) {
        if (seen.test(neighbour.itemId())) {
          continue;
        }
        double part = ageWeight * ItemPopularity.scoreAt(neighbour.logScore(), asOf, halfLifeMs);
        candidates.computeIfAbsent(neighbour.itemId(), Candidate::new).add(part, source);
      }
    }
    if (candidates.isEmpty()) {
      return null;
    }
    List<Candidate> ranked = new ArrayList<>(candidates.values());
    ranked.sort(Candidate.BEST_FIRST);
    List<ScoredItem> items = new ArrayList<>(Math.min(k, ranked.size()));
    for (Candidate candidate : ranked.subList(0, Math.min(k, ranked.size()))) {
      items.add(new ScoredItem(candidate.item, candidate.score));
    }
    return new Recommendation(
        Recommendation.SCHEMA_VERSION,
        userId,
        items,
        MODEL_VERSION,
        Strategy.COOCCURRENCE,
        asOf,
        computedAt,
        REASON_PREFIX + ranked.get(0).strongestSource);
  }

  /** One candidate's score and the user's item that contributed most to it. */
  private static final class Candidate {
    static final Comparator<Candidate> BEST_FIRST =
        Comparator.comparingDouble((Candidate c) -> c.score).reversed().thenComparing(c -> c.item);

    final String item;
    double score;
    double strongestPart;
    String strongestSource;

    Candidate(String item) {
      this.item = item;
    }

    void add(double part, String source) {
      score += part;
      if (strongestSource == null || part > strongestPart) {
        strongestPart = part;
        strongestSource = source;
      }
    }
  }
}
