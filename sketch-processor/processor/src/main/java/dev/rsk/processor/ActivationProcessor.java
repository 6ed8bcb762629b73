package dev.rsk.processor;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.registry.RegistryUnavailableException;
import dev.rsk.sketch.SketchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams processor of the activations topic: decodes each record, checks its key, hands
 * the event to the {@link InferenceAssembler} and acts on the outcome (sketch, dead-letter, ignore),
 * and sketches the inferences whose gap expired.
 *
 * <p>State layout (per task):
 * <ul>
 *   <li>in memory, the {@link InferenceAssembler}: inferences in flight, recently sketched ones, module
 *       lengths read so far;</li>
 *   <li>{@link ProcessorTopology#PENDING_STORE}, through {@link PendingObjects}: the objects of the
 *       inferences still incomplete at a commit, written inside the commit's transaction, loaded back
 *       when the task starts, so a crash or a rebalance loses nothing;</li>
 *   <li>{@link ProcessorTopology#MODULE_LENGTHS_STORE} (RocksDB, changelogged): module -> attribute
 *       length, written once per new module.</li>
 * </ul>
 * Output goes to {@link ProcessorTopology#SKETCHES_SINK}, or to the DLQ through {@link DeadLetterWriter}.
 */
final class ActivationProcessor implements Processor<byte[], byte[], Object, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(ActivationProcessor.class);
  /** Confluent wire format: magic byte 0, then a 4-byte schema id, then the Avro binary. */
  private static final byte CONFLUENT_MAGIC = 0;
  private static final int CONFLUENT_HEADER = 5;

  private final ProcessorConfig config;
  private final Deserializer<ModuleActivation> deserializer;
  private final InferenceSketcher sketcher;
  private final ProcessorMetrics metrics;

  private ProcessorContext<Object, Object> context;
  private InferenceAssembler assembler;
  private PendingObjects pending;
  private DeadLetterWriter dlq;
  private String topic;
  /** Pending-store entries found unreadable by the last restore, not yet dead-lettered. */
  private List<PendingObjects.Unreadable> unreadable = List.of();
  /** What this task last added to the shared pending-inferences gauge. */
  private long reportedPending;

  /** Wall-clock time of the last record this task received (the wall-clock gap waits for a quiet partition). */
  private long lastRecordWallMs = Long.MIN_VALUE / 2;

  ActivationProcessor(final ProcessorConfig config, final Deserializer<ModuleActivation> deserializer,
      final InferenceSketcher sketcher, final ProcessorMetrics metrics) {
    this.config = config;
    this.deserializer = deserializer;
    this.sketcher = sketcher;
    this.metrics = metrics;
  }

  @Override
  public void init(final ProcessorContext<Object, Object> context) {
    this.context = context;
    this.topic = config.activationsTopic();
    final KeyValueStore<String, Integer> lengths = context.getStateStore(ProcessorTopology.MODULE_LENGTHS_STORE);
    this.assembler = new InferenceAssembler(config.limits(), config.completedMemory(), config.gap(),
        config.wallClockGap(), new InferenceAssembler.ModuleLengths() {
          @Override
          public Integer get(final String module) {
            return lengths.get(module);
          }

          @Override
          public void put(final String module, final int length) {
            lengths.put(module, length);
          }
        });
    this.pending = new PendingObjects(context.getStateStore(ProcessorTopology.PENDING_STORE),
        context.getStateStore(ProcessorTopology.COMMIT_HOOK_STORE));
    this.dlq = new DeadLetterWriter(context, topic, context.taskId().partition(), metrics);
    restorePending();
    pending.listen(this::discardInflight);
    context.schedule(config.gapCheckInterval(), PunctuationType.STREAM_TIME, t -> {
      deadLetterUnreadable();
      assembler.expireByStreamTime(t).forEach(a -> finish(a, false));
    });
    context.schedule(config.gapCheckInterval(), PunctuationType.WALL_CLOCK_TIME, t -> {
      deadLetterUnreadable();
      // The wall-clock gap is for a quiet partition. While records flow (a backlog after a restart, say) the
      // stream-time gap decides: expiring by wall clock then would sketch as incomplete an inference whose
      // remaining events are still queued behind others, and sketch it again when they arrive.
      if (t - lastRecordWallMs >= config.gapCheckInterval().toMillis()) {
        assembler.expireByWallClock(t).forEach(a -> finish(a, false));
      }
    });
  }

  @Override
  public void process(final Record<byte[], byte[]> record) {
    deadLetterUnreadable();
    metrics.eventIn();
    lastRecordWallMs = context.currentSystemTimeMs();
    final long offset = context.recordMetadata().map(RecordMetadata::offset).orElse(-1L);
    final byte[] raw = record.value();
    if (raw == null) {
      dlq.reject(record, offset, new Rejection(RejectReason.EMPTY_VALUE,
          "null value (tombstone); activations must carry a ModuleActivation"));
      return;
    }
    final ModuleActivation ev;
    try {
      ev = deserializer.deserialize(topic, record.headers(), raw);
    } catch (RegistryUnavailableException e) {
      throw e; // transient: fail the task and retry from the last commit, never dead-letter
    } catch (RuntimeException e) {
      dlq.write(record, offset, e.getClass().getName(), RejectReason.DESERIALIZATION, e.getMessage());
      return;
    }
    final String id = ev.getInferenceId();
    if (!keyMatches(record.key(), id)) {
      dlq.reject(record, offset, new Rejection(RejectReason.KEY_MISMATCH, "record key " + describeKey(record.key())
          + " is not the event's inferenceId '" + id + "'; the key must be the inferenceId so that all objects"
          + " of an inference reach the same partition"));
      return;
    }
    final AssemblyOutcome outcome = assembler.offer(new Member(ev, raw, offset, record.timestamp()), record.key(),
        context.currentSystemTimeMs());
    if (outcome instanceof AssemblyOutcome.Duplicate) {
      metrics.duplicate();
    } else if (outcome instanceof AssemblyOutcome.Rejected r) {
      dlq.reject(record, offset, r.rejection());
    } else if (outcome instanceof AssemblyOutcome.Accepted accepted) {
      sketchEvicted(accepted.evicted());
      if (accepted instanceof AssemblyOutcome.Complete) {
        finish(accepted.assembly(), true);
      } else {
        pending.markDirty(accepted.assembly());
      }
    }
    syncPendingGauge();
  }

  private void sketchEvicted(final List<InferenceAssembly> evicted) {
    for (final InferenceAssembly a : evicted) {
      LOG.warn("Task {}: {} inferences pending ({}); sketching the oldest, {}, as incomplete", context.taskId(),
          config.limits().maxPendingInferences(), ProcessorConfig.MAX_PENDING, a.inferenceId());
      finish(a, false);
    }
  }

  /** Sketches {@code a}, taken out of the assembler (strict DAG if complete, partial otherwise). */
  private void finish(final InferenceAssembly a, final boolean complete) {
    pending.remove(a);
    syncPendingGauge();
    final long now = context.currentSystemTimeMs();
    final InferenceSketch sketch;
    try {
      sketch = sketcher.sketch(a, complete, now);
    } catch (SketchException e) {
      dlq.rejectAll(a, RejectReason.of(e), SketchException.class.getName(), e.getMessage());
      return;
    } catch (RegistryUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("Unexpected failure sketching inference {}; its objects go to the DLQ", a.inferenceId(), e);
      dlq.rejectAll(a, RejectReason.PROCESSING_ERROR, e.getClass().getName(), String.valueOf(e.getMessage()));
      return;
    }
    context.forward(new Record<>(a.inferenceId(), sketch, a.lastTimestamp()), ProcessorTopology.SKETCHES_SINK);
    metrics.sketchOut(complete, now - a.lastTimestamp());
  }

  /**
   * Rebuilds the in-memory assemblies from the pending store (after a restart, crash or rebalance).
   * Entries that cannot be read back are kept for {@link #deadLetterUnreadable}.
   */
  private void restorePending() {
    discardInflight();
    final PendingObjects.Restored restored = pending.restore(assembler,
        raw -> deserializer.deserialize(topic, raw), context.currentSystemTimeMs());
    unreadable = restored.unreadable();
    for (final PendingObjects.Unreadable u : unreadable) {
      LOG.error("Task {}: a pending object of inference {} could not be read back from {}; it goes to the DLQ",
          context.taskId(), u.inferenceId(), ProcessorTopology.PENDING_STORE, u.cause());
    }
    syncPendingGauge();
    if (restored.objects() > 0) {
      LOG.info("Task {}: resumed {} pending inferences ({} objects) from {}", context.taskId(), assembler.size(),
          restored.objects(), ProcessorTopology.PENDING_STORE);
    }
  }

  /**
   * Sends the pending entries {@link #restorePending} could not read to the DLQ and deletes them, in
   * the same transaction, so they neither stop the task nor come back at every start. Runs at the first
   * record or punctuation after init: the sinks are not initialised yet while this processor's init runs.
   */
  private void deadLetterUnreadable() {
    if (unreadable.isEmpty()) {
      return;
    }
    for (final PendingObjects.Unreadable u : unreadable) {
      dlq.unreadable(u, context.currentSystemTimeMs());
      pending.delete(u);
    }
    unreadable = List.of();
  }

  /** Drops in-memory state (task recycled or re-initialised); the pending store keeps what was committed. */
  private void discardInflight() {
    unreadable = List.of();
    assembler.clear();
    syncPendingGauge();
  }

  private void syncPendingGauge() {
    final int now = assembler.size();
    metrics.pendingDelta(now - reportedPending);
    reportedPending = now;
  }

  /**
   * The key must be the inference id: as a plain UTF-8 string (Kafka's StringSerializer), or as a
   * Confluent-framed Avro {@code "string"} (what Python's legacy AvroProducer writes with a key schema),
   * read with Avro's own decoder and filling the key exactly. False for a null key or any other bytes.
   */
  static boolean keyMatches(final byte[] key, final String inferenceId) {
    if (key == null) {
      return false;
    }
    final byte[] id = inferenceId.getBytes(StandardCharsets.UTF_8);
    if (Arrays.equals(key, id)) {
      return true;
    }
    if (key.length <= CONFLUENT_HEADER || key[0] != CONFLUENT_MAGIC) {
      return false;
    }
    final BinaryDecoder in = DecoderFactory.get().binaryDecoder(key, CONFLUENT_HEADER,
        key.length - CONFLUENT_HEADER, null);
    try {
      // An Avro string is its byte length (zig-zag varint long), then the bytes. The length is checked
      // before reading: BinaryDecoder.readString would allocate whatever length the key claims.
      if (in.readLong() != id.length) {
        return false;
      }
      final byte[] s = new byte[id.length];
      in.readFixed(s);
      return in.isEnd() && Arrays.equals(s, id);
    } catch (IOException e) {
      return false; // truncated or malformed varint: not an Avro string
    }
  }

  private static String describeKey(final byte[] key) {
    return key == null ? "null" : "'" + new String(key, StandardCharsets.UTF_8) + "'";
  }

  @Override
  public void close() {
    if (pending != null) {
      pending.close();
    }
    if (assembler != null) {
      discardInflight();
    }
  }
}
