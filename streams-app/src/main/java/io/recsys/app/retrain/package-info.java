/**
 * {@code recsys retrain}: features rebuilt and a model trained offline from history in Kafka,
 * evaluated and registered. A use case; imported only by {@code cli}.
 */
package io.recsys.app.retrain;
