package io.recsys.app.prequential;

import java.util.List;

/**
 * The lists a user held after their latest event (store {@code user-held-lists}): what the next
 * event is scored against, before anything learns from it.
 *
 * @param model the model's top items, or an empty list when the model did not score the user
 * @param popularity the popularity strategy's top items
 */
public record HeldLists(List<String> model, List<String> popularity) {
  public HeldLists {
    model = List.copyOf(model);
    popularity = List.copyOf(popularity);
  }
}
