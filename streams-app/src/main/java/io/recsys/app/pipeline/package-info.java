/**
 * The Kafka Streams topology ({@code RecsysTopology}): validation, feature state, popularity,
 * training examples and serving, wired by topic and store names. Its processors live in the
 * subpackages {@code ingest}, {@code state} and {@code serving}. Imports the shared parts ({@code
 * kafka}, {@code config}, {@code metrics}, {@code modelsync}, {@code prequential}); imported by the
 * wiring, the HTTP server (store names) and the demo.
 */
package io.recsys.app.pipeline;
