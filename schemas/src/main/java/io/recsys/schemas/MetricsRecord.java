package io.recsys.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The value of the {@code metrics} topic (key = instance id): one instance's figures over one
 * reporting window. Figures that do not apply yet (no model, no trainer) are absent, not zero.
 *
 * @param schemaVersion layout version, {@link #SCHEMA_VERSION}
 * @param instance the reporting instance (application id and host)
 * @param windowStart wall-clock start of the window, epoch ms
 * @param windowEnd wall-clock end of the window, epoch ms
 * @param eventsPerSecond accepted input events per second in the window
 * @param recommendationsPerSecond recommendation records per second in the window
 * @param deadLettersPerSecond dead-lettered input records per second in the window
 * @param eventsTotal accepted events since the instance started
 * @param recommendationsTotal recommendations since the instance started
 * @param deadLettersTotal dead letters since the instance started
 * @param latencyP50Ms median milliseconds from event record timestamp to recommendation
 * @param latencyP99Ms 99th percentile of the same
 * @param modelVersion version of the model serving; absent while no model is loaded
 * @param modelAgeMs milliseconds since that model version was produced
 * @param trainerLag training examples not yet trained on
 * @param trainingLoss mean training loss in the window
 * @param examplesTrainedPerSecond training examples folded into the model per second
 * @param prequentialModel test-then-train quality of the model's lists in the window
 * @param prequentialPopularity the same for the popularity strategy, on the same events
 * @param prequentialCooccurrence the same for the co-occurrence strategy; absent while it held no
 *     list for the window's events (off, or no neighbours yet)
 * @param prequentialBlend the same for the blend of the strategies' lists; absent likewise
 * @param prequentialServed the same for the lists users were given, whichever strategy made each
 * @param servedShares per strategy, the share of the window's lists it made; absent in a window
 *     without lists
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MetricsRecord(
    int schemaVersion,
    String instance,
    long windowStart,
    long windowEnd,
    double eventsPerSecond,
    double recommendationsPerSecond,
    double deadLettersPerSecond,
    long eventsTotal,
    long recommendationsTotal,
    long deadLettersTotal,
    Double latencyP50Ms,
    Double latencyP99Ms,
    String modelVersion,
    Long modelAgeMs,
    Long trainerLag,
    Double trainingLoss,
    Double examplesTrainedPerSecond,
    Quality prequentialModel,
    Quality prequentialPopularity,
    Quality prequentialCooccurrence,
    Quality prequentialBlend,
    Quality prequentialServed,
    java.util.Map<String, Double> servedShares) {

  public static final int SCHEMA_VERSION = 1;

  /**
   * Prequential (test-then-train) quality: each event's item scored against the list the user held
   * before it.
   *
   * @param events events scored in the window (users with an earlier list)
   * @param hitRate10 share of those whose item was in the top 10
   * @param ndcg10 mean NDCG@10 of those
   * @param coldEvents events of users without an earlier list (counted as misses, excluded above)
   */
  public record Quality(long events, double hitRate10, double ndcg10, long coldEvents) {}
}
