/**
 * Model versions on the {@code model-updates} topic: the record format (chunked snapshots, deltas,
 * promotions), the version chain, the follower that keeps a serving instance current, and the
 * {@code CurrentModel} that serving reads. Imports {@code kafka} and the model; imported by
 * serving, training, the registry and replay.
 */
package io.recsys.app.modelsync;
