/**
 * Serving: the processor that batches events, scores them with the current model (or the popularity
 * fallback), explains and publishes each list, and holds the lists the prequential evaluation
 * scores. Imported by {@code pipeline} and the HTTP server (the same recommenders answer queries).
 */
package io.recsys.app.pipeline.serving;
