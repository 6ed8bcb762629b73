package dev.rsk.processor;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.RegistryUnavailableException;
import dev.rsk.sketch.SketchException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles each inference's objects and writes its sketch when complete (or when its gap expires).
 *
 * <p>State layout (per task):
 * <ul>
 *   <li>in memory, {@code inflight}: inference id -> {@link InferenceAssembly}. Most inferences
 *       start and complete between two commits and never touch RocksDB or a changelog;</li>
 *   <li>{@link ProcessorTopology#PENDING_STORE} (RocksDB, changelogged): one entry per object of the
 *       inferences still incomplete at a commit, written by the {@link CommitHookStore} callback inside
 *       the commit's transaction, deleted when the inference is sketched. Loaded back into memory when
 *       the task starts, so a crash or a rebalance loses nothing;</li>
 *   <li>{@link ProcessorTopology#MODULE_LENGTHS_STORE} (RocksDB, changelogged): module -> attribute
 *       length, written once per new module, read through an in-memory map;</li>
 *   <li>in memory, {@code recent}: fingerprints of the last {@code rsk.completed.memory} sketched
 *       inferences, to ignore identical redeliveries and dead-letter late events.</li>
 * </ul>
 * Per event the work is O(attributes + inputs of the event): no state grows per event beyond the
 * event itself, and no blob is rewritten.
 */
final class ActivationProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationProcessor.class);

  private final ProcessorConfig config;
  private final Deserializer<ModuleActivation> deserializer;
  private final InferenceSketcher sketcher;
  private final ProcessorMetrics metrics;
  private final ActivationValidator validator;

  private final LinkedHashMap<String, InferenceAssembly> inflight = new LinkedHashMap<>();
  /** Inferences with members not yet in the pending store. */
  private final LinkedHashSet<InferenceAssembly> dirty = new LinkedHashSet<>();
  private final Map<String, Integer> moduleLengthCache = new HashMap<>();
  private final LinkedHashMap<String, long[]> recent;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Bytes, byte[]> pending;
  private KeyValueStore<String, Integer> moduleLengths;
  private CommitHookStore hook;
  private String topic;
  private int partition;

  ActivationProcessor(final ProcessorConfig config, final Deserializer<ModuleActivation> deserializer,
      final InferenceSketcher sketcher, final ProcessorMetrics metrics) {
    this.config = config;
    this.deserializer = deserializer;
    this.sketcher = sketcher;
    this.metrics = metrics;
    this.validator = new ActivationValidator(config.limits());
    final int memory = config.completedMemory();
    this.recent = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<String, long[]> eldest) {
        return size() > memory;
      }
    };
  }

  @Override
  public void init(final ProcessorContext<Object, Object> context) {
    this.context = context;
    this.pending = context.getStateStore(ProcessorTopology.PENDING_STORE);
    this.moduleLengths = context.getStateStore(ProcessorTopology.MODULE_LENGTHS_STORE);
    this.hook = context.getStateStore(ProcessorTopology.COMMIT_HOOK_STORE);
    this.topic = config.activationsTopic();
    this.partition = context.taskId().partition();
    discardInflight();
    loadPending();
    hook.listen(this::persistInflight, this::discardInflight);
    context.schedule(config.gapCheckInterval(), PunctuationType.STREAM_TIME, this::expireByStreamTime);
    context.schedule(config.gapCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::expireByWallClock);
  }

  @Override
  public void process(final Record<byte[], byte[]> record) {
    metrics.eventIn();
    final long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
    final byte[] raw = record.value();
    if (raw == null) {
      reject(record, offset, RejectReason.EMPTY_VALUE, "null value (tombstone); activations must carry a ModuleActivation");
      return;
    }
    final ModuleActivation ev;
    try {
      ev = deserializer.deserialize(topic, record.headers(), raw);
    } catch (RegistryUnavailableException e) {
      throw e; // transient: fail the task and retry from the last commit, never dead-letter
    } catch (RuntimeException e) {
      rejectWith(record, offset, e.getClass().getName(), RejectReason.DESERIALIZATION, e.getMessage());
      return;
    }
    final String id = ev.getInferenceId();
    if (!keyMatches(record.key(), id)) {
      reject(record, offset, RejectReason.KEY_MISMATCH, "record key " + describeKey(record.key())
          + " is not the event's inferenceId '" + id + "'; the key must be the inferenceId so that all objects"
          + " of an inference reach the same partition");
      return;
    }
    final Member m = new Member(ev, raw, offset, record.timestamp());
    InferenceAssembly a = inflight.get(id);
    if (a == null) {
      final long[] done = recent.get(id);
      if (done != null) {
        if (Arrays.binarySearch(done, fingerprint(ev.getObjectId(), raw)) >= 0) {
          metrics.duplicate();
        } else {
          reject(record, offset, RejectReason.LATE_EVENT, "inference " + id + " was already sketched; object "
              + ev.getObjectId() + " arrived too late (after completion or after the gap)");
        }
        return;
      }
    } else {
      switch (a.classify(m)) {
        case DUPLICATE -> {
          metrics.duplicate();
          return;
        }
        case CONFLICT -> {
          reject(record, offset, RejectReason.DUPLICATE_CONFLICT, "object " + ev.getObjectId() + " of inference "
              + id + " was already received with different content");
          return;
        }
        case SECOND_ROOT -> {
          reject(record, offset, RejectReason.DUPLICATE_ROOT, "object " + ev.getObjectId() + " is flagged root but "
              + a.rootId() + " already is the root of inference " + id);
          return;
        }
        default -> { }
      }
    }
    final Rejection invalid = validator.check(ev);
    if (invalid != null) {
      reject(record, offset, invalid.reason(), invalid.message());
      return;
    }
    final String module = ev.getModule();
    final int k = ev.getAttributes().size();
    final Integer known = knownLength(module);
    if (known != null && known != k) {
      reject(record, offset, RejectReason.ATTRIBUTE_LENGTH_MISMATCH, "module " + module + " has " + known
          + " attributes, object " + ev.getObjectId() + " of inference " + id + " has " + k);
      return;
    }
    if (a != null && a.size() >= config.limits().maxObjects()) {
      reject(record, offset, RejectReason.LIMIT_EXCEEDED, "inference " + id + " already has "
          + a.size() + " objects, the limit (" + ProcessorConfig.MAX_OBJECTS + ")");
      return;
    }
    if (known == null) {
      moduleLengths.put(module, k);
      moduleLengthCache.put(module, k);
    }
    if (a == null) {
      makeRoom();
      a = new InferenceAssembly(id, record.key(), record.timestamp(), context.currentSystemTimeMs());
      inflight.put(id, a);
      metrics.pendingDelta(1);
    }
    a.add(m);
    if (a.isComplete()) {
      finish(a, true);
    } else {
      dirty.add(a);
    }
  }

  /** Sketches {@code a} (strict DAG if complete, partial otherwise), frees its state, remembers it. */
  private void finish(final InferenceAssembly a, final boolean complete) {
    inflight.remove(a.inferenceId());
    dirty.remove(a);
    metrics.pendingDelta(-1);
    int i = 0;
    for (final Member m : a.members()) {
      if (i++ >= a.persisted()) {
        break;
      }
      pending.delete(PendingCodec.key(a.inferenceId(), m.event().getObjectId()));
    }
    remember(a);
    final long now = context.currentSystemTimeMs();
    final InferenceSketch sketch;
    try {
      sketch = sketcher.sketch(a, complete, now);
    } catch (SketchException e) {
      rejectAll(a, RejectReason.of(e), SketchException.class.getName(), e.getMessage());
      return;
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("Unexpected failure sketching inference {}; its objects go to the DLQ", a.inferenceId(), e);
      rejectAll(a, RejectReason.PROCESSING_ERROR, e.getClass().getName(), String.valueOf(e.getMessage()));
      return;
    }
    context.forward(new Record<>(a.inferenceId(), sketch, a.lastTimestamp()), ProcessorTopology.SKETCHES_SINK);
    metrics.sketchOut(complete, now - a.lastTimestamp());
  }

  /** The commit hook: write the not-yet-persisted members of incomplete inferences to the pending store. */
  private void persistInflight() {
    for (final InferenceAssembly a : dirty) {
      final int from = a.persisted();
      int i = 0;
      for (final Member m : a.members()) {
        if (i++ >= from) {
          pending.put(PendingCodec.key(a.inferenceId(), m.event().getObjectId()), PendingCodec.value(m));
        }
      }
      a.markPersisted(a.size());
    }
    dirty.clear();
  }

  /** Rebuilds the in-memory assemblies from the pending store (after a restart, crash or rebalance). */
  private void loadPending() {
    final long now = context.currentSystemTimeMs();
    int objects = 0;
    try (KeyValueIterator<Bytes, byte[]> it = pending.all()) {
      while (it.hasNext()) {
        final KeyValue<Bytes, byte[]> kv = it.next();
        final byte[] raw = PendingCodec.rawValue(kv.value);
        final ModuleActivation ev = deserializer.deserialize(topic, raw);
        final Member m = new Member(ev, raw, PendingCodec.offset(kv.value), PendingCodec.timestamp(kv.value));
        final String id = PendingCodec.inferenceId(kv.key);
        InferenceAssembly a = inflight.get(id);
        if (a == null) {
          a = new InferenceAssembly(id, id.getBytes(StandardCharsets.UTF_8), m.timestamp(), now);
          inflight.put(id, a);
          metrics.pendingDelta(1);
        }
        a.add(m);
        a.markPersisted(a.size());
        objects++;
      }
    }
    if (objects > 0) {
      LOG.info("Task {}: resumed {} pending inferences ({} objects) from {}", context.taskId(), inflight.size(),
          objects, ProcessorTopology.PENDING_STORE);
    }
  }

  /** Drops in-memory state (task recycled or re-initialised); the pending store keeps what was committed. */
  private void discardInflight() {
    metrics.pendingDelta(-inflight.size());
    inflight.clear();
    dirty.clear();
    recent.clear();
    moduleLengthCache.clear();
  }

  private void expireByStreamTime(final long streamTime) {
    final long cutoff = streamTime - config.gap().toMillis();
    final List<InferenceAssembly> expired = new ArrayList<>();
    for (final InferenceAssembly a : inflight.values()) {
      if (a.firstTimestamp() <= cutoff) {
        expired.add(a);
      }
    }
    expired.forEach(a -> finish(a, false));
  }

  private void expireByWallClock(final long now) {
    final long cutoff = now - config.wallClockGap().toMillis();
    final List<InferenceAssembly> expired = new ArrayList<>();
    // Insertion order is first-seen wall-clock order, so the scan stops at the first young inference.
    for (final Iterator<InferenceAssembly> it = inflight.values().iterator(); it.hasNext(); ) {
      final InferenceAssembly a = it.next();
      if (a.firstWallMs() > cutoff) {
        break;
      }
      expired.add(a);
    }
    expired.forEach(a -> finish(a, false));
  }

  /** Keeps the number of in-flight inferences of this task within the limit: the oldest is sketched early. */
  private void makeRoom() {
    while (inflight.size() >= config.limits().maxPendingInferences()) {
      final InferenceAssembly oldest = inflight.values().iterator().next();
      LOG.warn("Task {}: {} inferences pending ({}); sketching the oldest, {}, as incomplete", context.taskId(),
          inflight.size(), ProcessorConfig.MAX_PENDING, oldest.inferenceId());
      finish(oldest, false);
    }
  }

  private Integer knownLength(final String module) {
    Integer k = moduleLengthCache.get(module);
    if (k == null) {
      k = moduleLengths.get(module);
      if (k != null) {
        moduleLengthCache.put(module, k);
      }
    }
    return k;
  }

  private void remember(final InferenceAssembly a) {
    final long[] prints = new long[a.size()];
    int i = 0;
    for (final Member m : a.members()) {
      prints[i++] = fingerprint(m.event().getObjectId(), m.rawValue());
    }
    Arrays.sort(prints);
    recent.put(a.inferenceId(), prints);
  }

  private static long fingerprint(final String objectId, final byte[] raw) {
    return ((long) objectId.hashCode() << 32) | (Arrays.hashCode(raw) & 0xffffffffL);
  }

  private void reject(final Record<byte[], byte[]> record, final long offset, final RejectReason reason,
      final String message) {
    rejectWith(record, offset, DeadLetters.REJECTED_CLASS, reason, message);
  }

  private void rejectWith(final Record<byte[], byte[]> record, final long offset, final String errorClass,
      final RejectReason reason, final String message) {
    final Headers headers = DeadLetters.addHeaders(DeadLetters.newHeaders(record.headers()), errorClass, reason,
        message, topic, partition, offset);
    context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers),
        ProcessorTopology.DLQ_SINK);
    metrics.dlq(reason);
  }

  /** Every object of {@code a} to the DLQ (the inference as a whole was rejected, e.g. a cycle). */
  private void rejectAll(final InferenceAssembly a, final RejectReason reason, final String errorClass,
      final String message) {
    for (final Member m : a.members()) {
      final Headers headers = DeadLetters.addHeaders(DeadLetters.newHeaders(null), errorClass, reason,
          "inference " + a.inferenceId() + " rejected: " + message, topic, partition, m.offset());
      context.forward(new Record<>(a.rawKey(), m.rawValue(), m.timestamp(), headers), ProcessorTopology.DLQ_SINK);
      metrics.dlq(reason);
    }
  }

  /**
   * The key must be the inference id: as a plain UTF-8 string (Kafka's StringSerializer), or as a
   * Confluent-framed Avro {@code "string"} (what Python's legacy AvroProducer writes with a key schema).
   */
  static boolean keyMatches(final byte[] key, final String inferenceId) {
    if (key == null) {
      return false;
    }
    final byte[] id = inferenceId.getBytes(StandardCharsets.UTF_8);
    if (Arrays.equals(key, id)) {
      return true;
    }
    if (key.length <= 5 || key[0] != 0) {
      return false;
    }
    // Avro string: zig-zag varint length, then the UTF-8 bytes.
    int pos = 5;
    long raw = 0;
    int shift = 0;
    while (pos < key.length && shift < 64) {
      final int b = key[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) == 0) {
        final long len = (raw >>> 1) ^ -(raw & 1);
        return len == id.length && key.length - pos == id.length
            && Arrays.equals(key, pos, key.length, id, 0, id.length);
      }
    }
    return false;
  }

  private static String describeKey(final byte[] key) {
    return key == null ? "null" : "'" + new String(key, StandardCharsets.UTF_8) + "'";
  }

  @Override
  public void close() {
    if (hook != null) {
      hook.listen(null, null);
    }
    metrics.pendingDelta(-inflight.size());
    inflight.clear();
    dirty.clear();
  }
}
