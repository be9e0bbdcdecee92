package io.recsys.app.http;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code GET /users/{id}}: what the pipeline keeps about a user.
 *
 * @param userId the user
 * @param recentItems the user's last items, newest first
 * @param eventTypeCounts events per type, ever
 * @param eventCount events ever
 * @param lastEventTime event time (epoch ms) of the newest event
 * @param servedBy the instance that answered
 * @param stale true when read from a copy that may be behind (a standby's, during a failover)
 */
public record UserProfile(
    String userId,
    List<String> recentItems,
    Map<String, Long> eventTypeCounts,
    long eventCount,
    long lastEventTime,
    String servedBy,
    boolean stale) {

  public UserProfile {
    recentItems = List.copyOf(recentItems);
    eventTypeCounts = Map.copyOf(eventTypeCounts);
  }
}
