package dev.rsk.stats.query;

import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** A repository store that forwards every read to {@link #store()}; a test overrides the read it breaks. */
interface ForwardingRepository extends ReadOnlyKeyValueStore<String, byte[]> {

  ReadOnlyKeyValueStore<String, byte[]> store();

  @Override
  default byte[] get(final String key) {
    return store().get(key);
  }

  @Override
  default KeyValueIterator<String, byte[]> range(final String from, final String to) {
    return store().range(from, to);
  }

  @Override
  default KeyValueIterator<String, byte[]> all() {
    return store().all();
  }

  @Override
  default long approximateNumEntries() {
    return store().approximateNumEntries();
  }
}
