package dev.rsk.stats.concepts;

import dev.rsk.avro.ConceptEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps {@link ConceptStores#VIEW} equal to the latest event of each concept on the concepts topic (a tombstone
 * deletes). Its own processor rather than a GlobalKTable: event times on the topic go back and forth between
 * parameter keys, which a table would log as out-of-order updates; here the latest offset wins, as it should.
 */
final class ConceptViewProcessor implements Processor<String, ConceptEvent, Void, Void> {

  private KeyValueStore<String, byte[]> view;

  @Override
  public void init(final ProcessorContext<Void, Void> context) {
    view = context.getStateStore(ConceptStores.VIEW);
  }

  @Override
  public void process(final Record<String, ConceptEvent> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      view.delete(record.key());
      return;
    }
    view.put(record.key(), encode(record.value()));
  }

  /** Avro single-object encoding (no registry needed to read it back). */
  static byte[] encode(final ConceptEvent e) {
    try {
      final ByteBuffer b = e.toByteBuffer();
      final byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** Reads {@link #encode}'s form. */
  static ConceptEvent decode(final byte[] bytes) {
    try {
      return ConceptEvent.fromByteBuffer(ByteBuffer.wrap(bytes));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
