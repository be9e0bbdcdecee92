/**
 * An in-JVM KRaft broker built from the official Kafka jars, for the demo and the tests. Imported
 * only by the entry points ({@code cli}, {@code demo}) and tests: production code never needs it.
 */
package io.recsys.app.broker;
