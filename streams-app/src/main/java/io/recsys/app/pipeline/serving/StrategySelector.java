package io.recsys.app.pipeline.serving;

import io.recsys.app.config.RecsysSettings;
import io.recsys.model.strategy.HistoryBuckets;
import io.recsys.model.strategy.RankFusion;
import io.recsys.model.strategy.StrategyEvidence;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses the strategy of each list by evidence: for users of the same {@link HistoryBuckets
 * history bucket}, the strategy (model, co-occurrence, popularity, or their blend) whose lists
 * scored best on the prequential protocol lately ({@link StrategyEvidence}), with a small share of
 * lists served by another one at random so that users keep reacting to every strategy. One per
 * instance, shared by its stream threads and its query API; the evidence lives in memory and is
 * gathered again after a restart (a few hundred events per bucket). Thread-safe.
 */
public final class StrategySelector {
  private final RecsysSettings.Selection settings;
  private final StrategyEvidence<Strategy> evidence;
  private final RankFusion fusion = new RankFusion(RankFusion.DEFAULT_OFFSET);

  public StrategySelector(RecsysSettings.Selection settings) {
    this.settings = settings;
    this.evidence =
        new StrategyEvidence<>(
            Strategy.class,
            settings.evidenceHalfLifeEvents(),
            settings.evidenceMinEvents(),
            settings.evidenceSwitchMargin());
  }

  /** What one user's lists scored on their next event, by strategy (NDCG@10). */
  public void record(int historyLength, Map<Strategy, Double> ndcg) {
    int bucket = HistoryBuckets.of(historyLength);
    ndcg.forEach((strategy, gain) -> evidence.record(bucket, strategy, gain));
  }

  /** Each strategy's live NDCG@10 per history bucket (NaN where it has too few events yet). */
  public Map<Strategy, double[]> evidence() {
    return evidence.table();
  }

  /**
   * One user's lists, the blend made of them, and the one to serve.
   *
   * @param served the list the user gets
   * @param blend the blend of the single lists, or null when fewer than two have items
   * @param lists the single strategies' lists that were offered
   */
  public record Choice(
      Recommendation served, Recommendation blend, Map<Strategy, Recommendation> lists) {}

  /**
   * @param lists the single strategies' lists for the user (popularity's always; the model's and
   *     co-occurrence's where they made one)
   * @param explore whether this list may be one of the exploration share (the stream's lists; the
   *     query API always answers with the winner)
   */
  public Choice choose(
      int historyLength, Map<Strategy, Recommendation> lists, int k, boolean explore) {
    int bucket = HistoryBuckets.of(historyLength);
    Map<Strategy, Recommendation> candidates = new EnumMap<>(Strategy.class);
    lists.forEach(
        (strategy, list) -> {
          if (list != null && !list.items().isEmpty()) {
            candidates.put(strategy, list);
          }
        });
    Recommendation blend = candidates.size() >= 2 ? blend(bucket, candidates, k) : null;
    if (blend != null) {
      candidates.put(Strategy.BLEND, blend);
    }
    Recommendation popular = lists.get(Strategy.POPULARITY);
    if (candidates.isEmpty()) {
      return new Choice(popular, null, lists);
    }
    Strategy chosen;
    if (settings.fixed() != null) {
      chosen = candidates.containsKey(settings.fixed()) ? settings.fixed() : Strategy.POPULARITY;
    } else {
      Set<Strategy> available = EnumSet.copyOf(candidates.keySet());
      Strategy fallback = blend != null ? Strategy.BLEND : available.iterator().next();
      chosen = evidence.best(bucket, available, fallback);
      if (explore && available.size() > 1) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (random.nextDouble() < settings.exploration()) {
          List<Strategy> others = new ArrayList<>(available);
          others.remove(chosen);
          chosen = others.get(random.nextInt(others.size()));
        }
      }
    }
    Recommendation served = candidates.get(chosen);
    return new Choice(served != null ? served : popular, blend, lists);
  }

  private Recommendation blend(int bucket, Map<Strategy, Recommendation> candidates, int k) {
    List<Strategy> fused = new ArrayList<>(candidates.keySet());
    List<List<String>> items = new ArrayList<>(fused.size());
    for (Strategy s : fused) {
      List<String> ids = new ArrayList<>();
      candidates.get(s).items().forEach(item -> ids.add(item.itemId()));
      items.add(ids);
    }
    double[] weights = evidence.weights(bucket, fused);
    List<RankFusion.Fused<String>> top = fusion.fuse(items, weights, k);
    List<ScoredItem> scored = new ArrayList<>(top.size());
    top.forEach(f -> scored.add(new ScoredItem(f.item(), f.score())));
    // The reason and version of the heaviest list holding the blend's first item.
    Recommendation lead = null;
    double leadWeight = -1;
    for (int i = 0; i < fused.size(); i++) {
      if (items.get(i).contains(top.get(0).item()) && weights[i] > leadWeight) {
        lead = candidates.get(fused.get(i));
        leadWeight = weights[i];
      }
    }
    Recommendation model = candidates.get(Strategy.MODEL);
    return new Recommendation(
        Recommendation.SCHEMA_VERSION,
        lead.userId(),
        scored,
        model != null ? model.modelVersion() : lead.modelVersion(),
        Strategy.BLEND,
        lead.eventTime(),
        lead.computedAt(),
        lead.reason());
  }
}
