/**
 * Offline evaluation: leave-one-out and time-split protocols, full-ranking metrics, baselines
 * (popularity, co-occurrence) and early stopping. Imported by the command line ({@code evaluate})
 * and by retraining; the live, prequential evaluation is {@code io.recsys.app.prequential}.
 */
package io.recsys.model.evaluation;
