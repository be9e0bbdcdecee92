/**
 * The next-item model: create, train incrementally, score, checkpoint, publish as snapshots and
 * deltas, and carry users' recurrent states between events.
 *
 * <p>Never imports Kafka, the feature store or the application: it is a plain library over ND4J,
 * usable offline. Imported by {@code streams-app}.
 */
package io.recsys.model;
