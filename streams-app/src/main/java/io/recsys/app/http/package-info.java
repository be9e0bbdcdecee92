/**
 * The HTTP face of one instance: the query API (interactive queries, forwarded to the key's owner),
 * readiness, Prometheus metrics and the dashboard. Reads the instance through {@code
 * ServedInstance}; imports the pipeline's stores and recommenders, never the wiring. Imported by
 * the wiring.
 */
package io.recsys.app.http;
