/**
 * Processors that keep per-user and per-item state in RocksDB (user features, seen items, item
 * popularity and its global store). Imported by {@code pipeline}, {@code pipeline.serving} and the
 * HTTP server (key types).
 */
package io.recsys.app.pipeline.state;
