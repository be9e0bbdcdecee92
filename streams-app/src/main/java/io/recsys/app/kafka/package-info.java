/**
 * Kafka plumbing every component shares: client configurations derived from one map (so security
 * settings reach every client), consumers that assign every partition, topics as values with their
 * serdes, and topic provisioning. Imports only {@code config}; imported by everything that talks to
 * Kafka.
 */
package io.recsys.app.kafka;
