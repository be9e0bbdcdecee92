/**
 * Serving from large catalogues: an approximate maximum-inner-product index over the model's item
 * output rows ({@link io.recsys.model.retrieval.ItemIndex}, Lucene's HNSW graphs) that proposes
 * candidates, which the model then rescores exactly. Knows nothing of the model beyond {@link
 * io.recsys.model.retrieval.ItemVectors}, a read-only view of its output rows.
 */
package io.recsys.model.retrieval;
