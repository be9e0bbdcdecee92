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

  /** These features after {@code event}, keeping at most {@code maxRecentItems} items. */
  public UserFeatures withEvent(UserEvent event, int maxRecentItems) {
    List<String> items = recentItems;
    String newest = items.isEmpty() ? null : items.get(items.size() - 1);
    if (!event.itemId().equals(newest)) {
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
