package dev.rsk.streams;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store holding nothing, whose only job is to call the processor back just before each
 * commit, so that what a processor keeps in memory (the processor's in-flight inferences, the aggregator's
 * pending aggregates) is written to its stores in the same transaction as the input offsets it covers.
 *
 * <p>Why this is exactly-once safe: in Kafka Streams 4.x a task commit runs
 * {@code StreamTask.prepareCommit -> ProcessorStateManager.flushCache()} (every {@link CachedStateStore}
 * of the task) and only then flushes the record collector and commits the transaction with the consumed
 * offsets. Record caches rely on the same ordering: whatever is written during {@code flushCache()}
 * (changelog records of the processor's stores) belongs to the transaction that commits the offsets.
 * So after a crash the restored stores hold exactly the state of the records before the committed
 * offsets, and everything after them is read again. (A plain {@code StateStore.flush()} would
 * not do: it runs after the commit, in the checkpoint.) {@code CachedStateStore} is an internal
 * interface; this class is the only place that depends on it, and the crash test in
 * {@code ProcessorClusterTest} (processor) and {@code StatsCrashTest} (aggregator) fail if its contract
 * changes.
 */
public final class CommitHookStore implements StateStore, CachedStateStore<Object, Object> {

  private final String name;
  private InternalProcessorContext<?, ?> context;
  private Runnable beforeCommit;
  private Runnable onDiscard;
  private boolean open;

  public CommitHookStore(final String name) {
    this.name = name;
  }

  /** Registers the callbacks of the task's processor (null to unregister). */
  public void listen(final Runnable beforeCommit, final Runnable onDiscard) {
    this.beforeCommit = beforeCommit;
    this.onDiscard = onDiscard;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(final StateStoreContext stateStoreContext, final StateStore root) {
    if (!(stateStoreContext instanceof InternalProcessorContext<?, ?> internal)) {
      throw new IllegalStateException("CommitHookStore needs the Kafka Streams task context, got "
          + stateStoreContext.getClass().getName());
    }
    this.context = internal;
    stateStoreContext.register(root, (key, value) -> { });
    open = true;
  }

  @Override
  public void flushCache() {
    final Runnable callback = beforeCommit;
    if (callback == null) {
      return;
    }
    // Changelog writes read the record context (timestamp); between records it may be unset.
    final ProcessorRecordContext saved = context.recordContext();
    if (saved == null) {
      context.setRecordContext(new ProcessorRecordContext(context.currentStreamTimeMs(), -1L, -1, null,
          new RecordHeaders()));
    }
    try {
      callback.run();
    } finally {
      if (saved == null) {
        context.setRecordContext(null);
      }
    }
  }

  @Override
  public void clearCache() {
    final Runnable callback = onDiscard;
    if (callback != null) {
      callback.run();
    }
  }

  @Override
  public boolean setFlushListener(final CacheFlushListener<Object, Object> listener, final boolean sendOldValues) {
    return false;
  }

  @Override
  public void flush() {
    // Nothing: all writes happen in flushCache(), before the commit.
  }

  @Override
  public void close() {
    open = false;
    beforeCommit = null;
    onDiscard = null;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Builder for {@link org.apache.kafka.streams.Topology#addStateStore}; no changelog, no cache. */
  public static StoreBuilder<CommitHookStore> builder(final String name) {
    return new UnloggedStoreBuilder<>(name, () -> new CommitHookStore(name));
  }
}
