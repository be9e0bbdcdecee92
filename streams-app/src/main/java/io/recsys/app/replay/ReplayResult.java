package io.recsys.app.replay;

import io.recsys.schemas.MetricsRecord;

/**
 * What a replay did.
 *
 * @param eventsScanned event records read between the start and end offsets
 * @param eventsReplayed event records whose timestamp was in range
 * @param recommendations recommendations written to the output topic
 * @param deadLetters replayed records that failed validation (the live pipeline has already
 *     dead-lettered them; the replay only counts them)
 * @param modelVersion the version that scored the events, or "popularity"
 * @param seconds wall-clock time of the replay
 * @param model prequential quality of the model's lists over the replay
 * @param popularity prequential quality of the popularity lists over the same events
 */
public record ReplayResult(
    long eventsScanned,
    long eventsReplayed,
    long recommendations,
    long deadLetters,
    String modelVersion,
    double seconds,
    MetricsRecord.Quality model,
    MetricsRecord.Quality popularity) {

  public double eventsPerSecond() {
    return seconds > 0 ? eventsReplayed / seconds : 0;
  }
}
