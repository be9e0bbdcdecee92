package io.recsys.app.pipeline.serving;

import io.recsys.app.config.RecsysSettings;
import io.recsys.app.modelsync.CurrentModel;
import io.recsys.model.ModelConfig;
import io.recsys.model.RecommendedItem;
import io.recsys.schemas.Recommendation;
import io.recsys.schemas.ScoredItem;
import io.recsys.schemas.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The model strategy, shared by the streaming step and the query API so that both give the same
 * answer: which users the model may score, and how its candidates become a list.
 */
public final class ModelRecommender {
  /** Extra candidates asked of the model so that filtering seen items still leaves k. */
  private static final int SEEN_MARGIN = 20;

  static final String REASON_PREFIX = "because you interacted with ";

  private final ModelConfig model;
  private final int minHistory;

  /**
   * @param model the streaming model's settings: its sequence length cuts each history
   * @param serving {@code recsys.serving.min.history}: users the model knows less about get none
   */
  public ModelRecommender(ModelConfig model, RecsysSettings.Serving serving) {
    this.model = model;
    this.minHistory = serving.minHistory();
  }

  /**
   * The items the model reads for a user with these recent items (oldest first), or empty when it
   * knows fewer than {@code recsys.serving.min.history} of them.
   */
  public Optional<List<String>> history(CurrentModel.Loaded model, List<String> recentItems) {
    List<String> history = this.model.recent(recentItems);
    return model.knownItems(history) >= minHistory ? Optional.of(history) : Optional.empty();
  }

  /** How many candidates to ask the model for a list of {@code k}. */
  public int candidates(int k) {
    return k + SEEN_MARGIN;
  }

  /**
   * The list made of the model's {@code candidates} (best first) without the user's seen items, or
   * null when none is left. It has no reason yet: see {@link #explained}.
   */
  public Recommendation recommendation(
      String userId,
      List<RecommendedItem> candidates,
      Predicate<String> seen,
      int k,
      String modelVersion,
      long eventTime,
      long now) {
    List<ScoredItem> items = new ArrayList<>(k);
    for (RecommendedItem candidate : candidates) {
      if (items.size() == k) {
        break;
      }
      if (!seen.test(candidate.itemId())) {
        items.add(new ScoredItem(candidate.itemId(), candidate.score()));
      }
    }
    if (items.isEmpty()) {
      return null;
    }
    return new Recommendation(
        Recommendation.SCHEMA_VERSION,
        userId,
        items,
        modelVersion,
        Strategy.MODEL,
        eventTime,
        now,
        null);
  }

  /**
   * The model's lists with their reasons, "because you interacted with X": X is the item of the
   * user's history (the items the model read) that most supports the list's top item, as the model
   * that made the lists sees it ({@link CurrentModel.Loaded#strongestSupport}), asked once for all
   * the lists. A list keeps no reason where the model names no item.
   */
  public List<Recommendation> explained(
      CurrentModel.Loaded model, List<List<String>> histories, List<Recommendation> lists) {
    List<String> tops = new ArrayList<>(lists.size());
    lists.forEach(list -> tops.add(list.items().get(0).itemId()));
    List<String> support = model.strongestSupport(histories, tops);
    List<Recommendation> out = new ArrayList<>(lists.size());
    for (int i = 0; i < lists.size(); i++) {
      Recommendation list = lists.get(i);
      String item = support.get(i);
      out.add(item == null ? list : list.withReason(REASON_PREFIX + item));
    }
    return out;
  }
}
