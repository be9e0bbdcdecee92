package io.recsys.app.pipeline.state;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Copies a topic into a global key-value store, deleting on tombstones. */
public final class GlobalStoreUpdater<K, V> implements Processor<K, V, Void, Void> {
  private final String storeName;
  private KeyValueStore<K, V> store;

  public GlobalStoreUpdater(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<K, V> record) {
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
  }
}
