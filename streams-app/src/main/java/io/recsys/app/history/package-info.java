/**
 * Reading a time range of a topic (record timestamps to offsets, every partition), as replay and
 * retraining need. Imports {@code kafka} and {@code registry}; imported by the use cases and the
 * command line.
 */
package io.recsys.app.history;
