package io.recsys.app.kafka;

import org.apache.kafka.common.serialization.Serde;

/** A topic's name tied to the serdes of its keys and values. */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
