package io.recsys.app.prequential;

import io.recsys.schemas.Strategy;
import java.util.List;

/**
 * The lists a user held after their latest event (store {@code user-held-lists}): what the next
 * event is scored against, before anything learns from it. Every strategy's list is kept, not only
 * the served one, so that each strategy is measured on every event.
 *
 * @param model the model's top items, or an empty list when the model did not score the user
 * @param popularity the popularity strategy's top items
 * @param cooccurrence the co-occurrence strategy's top items, or empty when it had none
 * @param blend the blend's top items, or empty when there was none
 * @param served the strategy whose list the user was given (null in lists stored before it was
 *     recorded)
 * @param historyLength how many items the user had when the lists were made
 * @param exhaustive on the sample of events served through the index whose list was checked ({@code
 *     recsys.serving.index.check.share}), the model's list with every item scored from the same
 *     state; otherwise empty. Scored beside {@code model} on the next event: the index's cost in
 *     hit rate, measured on the same events
 */
public record HeldLists(
    List<String> model,
    List<String> popularity,
    List<String> cooccurrence,
    List<String> blend,
    Strategy served,
    int historyLength,
    List<String> exhaustive) {
  public HeldLists {
    // Lists stored by an earlier version lack the newer fields.
    model = model == null ? List.of() : List.copyOf(model);
    popularity = popularity == null ? List.of() : List.copyOf(popularity);
    cooccurrence = cooccurrence == null ? List.of() : List.copyOf(cooccurrence);
    blend = blend == null ? List.of() : List.copyOf(blend);
    exhaustive = exhaustive == null ? List.of() : List.copyOf(exhaustive);
  }

  /** The model's and popularity's lists only, the model's served. */
  public HeldLists(List<String> model, List<String> popularity) {
    this(model, popularity, List.of(), List.of(), Strategy.MODEL, 0, List.of());
  }

  /** The list of {@code strategy} (empty where it made none). */
  public List<String> of(Strategy strategy) {
    return switch (strategy) {
      case MODEL -> model;
      case POPULARITY -> popularity;
      case COOCCURRENCE -> cooccurrence;
      case BLEND -> blend;
    };
  }

  /** The list the user was given. */
  public List<String> servedList() {
    if (served != null) {
      return of(served);
    }
    return model.isEmpty() ? popularity : model;
  }
}
