package dev.rsk.processor;

import dev.rsk.streams.CommitHookStore;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.RegistryUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The objects of a task's incomplete inferences as kept in {@link ProcessorTopology#PENDING_STORE}
 * (RocksDB, changelogged; layout in {@link PendingCodec}), and when they are written.
 *
 * <p>Most inferences start and complete between two commits and never touch the store: an accepted
 * object is only marked {@link #markDirty dirty}, and the {@link CommitHookStore} callback
 * ({@link #persistDirty}) writes the not-yet-persisted members of dirty inferences inside the commit's
 * transaction, so the store always matches the committed input offsets. When an inference is sketched
 * its persisted entries are {@link #remove deleted}. On task start, {@link #restore} reads them back.
 *
 * <p>Not thread-safe: one per task.
 */
final class PendingObjects {

  /**
   * A store entry that could not be read back. {@code inferenceId} is null if the key is unreadable;
   * {@code entry} is null if the value's layout is (then {@code storedValue} is all there is).
   */
  record Unreadable(Bytes key, String inferenceId, PendingCodec.Entry entry, byte[] storedValue,
      RuntimeException cause) {}

  /** What {@link #restore} put back, and what it could not read. */
  record Restored(int objects, List<Unreadable> unreadable) {}

  private final KeyValueStore<Bytes, byte[]> store;
  private final CommitHookStore hook;
  /** Inferences with members not yet in the store. */
  private final LinkedHashSet<InferenceAssembly> dirty = new LinkedHashSet<>();

  PendingObjects(final KeyValueStore<Bytes, byte[]> store, final CommitHookStore hook) {
    this.store = store;
    this.hook = hook;
  }

  /**
   * Starts writing at each commit. {@code onDiscard} runs when the task drops its uncommitted state
   * (the dirty marks are dropped with it: the store keeps what was committed).
   */
  void listen(final Runnable onDiscard) {
    hook.listen(this::persistDirty, () -> {
      dirty.clear();
      onDiscard.run();
    });
  }

  /** Stops the commit callbacks. */
  void close() {
    hook.listen(null, null);
    dirty.clear();
  }

  /** {@code a} got members that must be in the store from the next commit on. */
  void markDirty(final InferenceAssembly a) {
    dirty.add(a);
  }

  /** The commit hook: writes the not-yet-persisted members of dirty inferences. */
  void persistDirty() {
    for (final InferenceAssembly a : dirty) {
      final int from = a.persisted();
      int i = 0;
      for (final Member m : a.members()) {
        if (i++ >= from) {
          store.put(PendingCodec.key(a.inferenceId(), m.event().getObjectId()), PendingCodec.value(m));
        }
      }
      a.markPersisted(a.size());
    }
    dirty.clear();
  }

  /** {@code a} was sketched: deletes its persisted entries and forgets it. */
  void remove(final InferenceAssembly a) {
    dirty.remove(a);
    int i = 0;
    for (final Member m : a.members()) {
      if (i++ >= a.persisted()) {
        break;
      }
      store.delete(PendingCodec.key(a.inferenceId(), m.event().getObjectId()));
    }
  }

  /** Deletes an entry {@link #restore} could not read (once it has been dead-lettered). */
  void delete(final Unreadable u) {
    store.delete(u.key());
  }

  /**
   * Puts every entry of the store back into {@code assembler}, marked persisted. An entry whose layout
   * or event cannot be read is left in the store and returned as {@link Unreadable}; it never stops
   * the others.
   *
   * @param decode the activation deserializer; a {@link RegistryUnavailableException} from it is
   *     transient and propagates (the task is retried), any other exception makes the entry unreadable
   */
  Restored restore(final InferenceAssembler assembler, final Function<byte[], ModuleActivation> decode,
      final long nowMs) {
    final List<Unreadable> unreadable = new ArrayList<>();
    int objects = 0;
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        final KeyValue<Bytes, byte[]> kv = it.next();
        String id = null;
        PendingCodec.Entry entry = null;
        try {
          id = PendingCodec.inferenceId(kv.key);
          entry = PendingCodec.decode(kv.value);
          final ModuleActivation ev = decode.apply(entry.rawValue());
          final InferenceAssembly a = assembler.restore(id,
              new Member(ev, entry.rawValue(), entry.offset(), entry.timestamp()), nowMs);
          a.markPersisted(a.size());
          objects++;
        } catch (RegistryUnavailableException e) {
          throw e;
        } catch (RuntimeException e) {
          unreadable.add(new Unreadable(kv.key, id, entry, kv.value, e));
        }
      }
    }
    return new Restored(objects, unreadable);
  }
}
