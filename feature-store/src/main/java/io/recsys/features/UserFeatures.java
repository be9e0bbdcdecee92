package io.recsys.features;

import io.recsys.schemas.UserEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the pipeline keeps per user (store {@code user-features}, key = user id).
 *
 * @param recentItems the user's last item ids, oldest first, at most the configured length;
 *     consecutive events on the same item (view, then click, then cart) count as one step, since
 *     the next-item model learns transitions between items, not funnel stages
 * @param eventTypeCounts number of events per event type, ever
 * @param lastEventTime event time (epoch ms) of the newest event seen
 * @param eventCount number of events ever
 */
public record UserFeatures(
    List<String> recentItems,
    Map<String, Long> eventTypeCounts,
    long lastEventTime,
    long eventCount) {

  public static final UserFeatures EMPTY = new UserFeatures(List.of(), Map.of(), 0L, 0L);

  public UserFeatures {
    recentItems = List.copyOf(recentItems);
    eventTypeCounts = Map.copyOf(eventTypeCounts);
    if (eventCount < 0) {
      throw new IllegalArgumentException("eventCount: must be >= 0, got " + eventCount);
    }
  }

  /**
   * Whether an event on {@code itemId} moves the user to a new item: a new step of the sequence
   * (and a training example), rather than another event on the item they are already on.
   */
  public boolean movesTo(String itemId) {
    return recentItems.isEmpty() || !recentItems.get(recentItems.size() - 1).equals(itemId);
  }

  /** These features after {@code event}, keeping at most {@code maxRecentItems} items. */
  public UserFeatures withEvent(UserEvent event, int maxRecentItems) {
    List<String> items = recentItems;
    if (movesTo(event.itemId())) {
      int keep = Math.min(items.size(), maxRecentItems - 1);
      ArrayList<String> grown = new ArrayList<>(keep + 1);
      grown.addAll(items.subList(items.size() - keep, items.size()));
      grown.add(event.itemId());
      items = grown;
    }
    TreeMap<String, Long> counts = new TreeMap<>(eventTypeCounts);
    counts.merge(event.eventType(), 1L, Long::sum);
    return new UserFeatures(
        items, counts, Math.max(lastEventTime, event.eventTime()), eventCount + 1);
  }
}
