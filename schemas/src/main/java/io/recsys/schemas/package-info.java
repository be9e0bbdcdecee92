/**
 * The records on every topic (events, recommendations, training examples, metrics), their JSON
 * serdes, the event parser and the dead-letter headers.
 *
 * <p>Depends on nothing of this project; every other module may import it.
 */
package io.recsys.schemas;
