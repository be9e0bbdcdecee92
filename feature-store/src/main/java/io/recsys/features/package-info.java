/**
 * Feature values kept in RocksDB (user features, item popularity and its ranking), their serdes,
 * and the shared RocksDB memory budget.
 *
 * <p>Imports only {@code io.recsys.schemas}; imported by {@code streams-app}. No Kafka Streams
 * processor lives here: the processors that update these values are in {@code
 * io.recsys.app.pipeline.state}.
 */
package io.recsys.features;
