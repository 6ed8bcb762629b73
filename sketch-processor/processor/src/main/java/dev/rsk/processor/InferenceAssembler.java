package dev.rsk.processor;

import dev.rsk.avro.ModuleActivation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The assembly state machine of one stream task, with no Kafka in it: it takes decoded events and
 * says what became of each ({@link AssemblyOutcome}), and hands out the inferences whose gap expired.
 *
 * <p>State:
 * <ul>
 *   <li>{@code inflight}: inference id -> {@link InferenceAssembly}, in first-seen order;</li>
 *   <li>{@code recent}: fingerprints (objectId hash, value-bytes hash) of the last
 *       {@code completedMemory} inferences handed out, to tell identical redeliveries (ignored) from
 *       late objects (dead-lettered). A fingerprint collision would make a late object look like a
 *       redelivery; with 64-bit prints over one inference's objects that is negligible;</li>
 *   <li>module attribute lengths, read through {@link ModuleLengths} and cached here.</li>
 * </ul>
 * An inference leaves the assembler exactly once: as {@link AssemblyOutcome.Complete}, as an
 * {@code evicted} entry of an {@link AssemblyOutcome.Accepted}, or from an {@code expire*} method;
 * from then on it counts as sketched. Per event the work is O(attributes + inputs of the event).
 *
 * <p>Never throws for bad input (that is what the outcomes are for). Not thread-safe: one per task.
 */
final class InferenceAssembler {

  /** Where module attribute lengths are kept (the task's changelogged store). */
  interface ModuleLengths {
    /** The known length, or null. */
    Integer get(String module);

    void put(String module, int length);
  }

  private final ProcessorConfig.Limits limits;
  private final ActivationValidator validator;
  private final long gapMs;
  private final long wallClockGapMs;
  private final ModuleLengths moduleLengths;
  private final Map<String, Integer> moduleLengthCache = new HashMap<>();
  private final LinkedHashMap<String, InferenceAssembly> inflight = new LinkedHashMap<>();
  private final LinkedHashMap<String, long[]> recent;

  /**
   * @param gap stream-time gap: an inference whose first record timestamp is this old is expired
   * @param wallClockGap wall-clock gap: an inference first seen this long ago is expired
   */
  InferenceAssembler(final ProcessorConfig.Limits limits, final int completedMemory, final Duration gap,
      final Duration wallClockGap, final ModuleLengths moduleLengths) {
    this.limits = limits;
    this.validator = new ActivationValidator(limits);
    this.gapMs = gap.toMillis();
    this.wallClockGapMs = wallClockGap.toMillis();
    this.moduleLengths = moduleLengths;
    this.recent = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<String, long[]> eldest) {
        return size() > completedMemory;
      }
    };
  }

  /**
   * Decides what becomes of {@code m}. Checks, in order: sketched already (duplicate or late),
   * duplicate/conflict/second root within the inference, the event's own validity, its module's
   * attribute length, the objects-per-inference limit. Only an accepted event changes the state.
   *
   * @param rawKey the record key, kept for dead-lettering the whole inference later
   * @param nowMs wall-clock time, starts the wall-clock gap of a new inference
   */
  AssemblyOutcome offer(final Member m, final byte[] rawKey, final long nowMs) {
    final ModuleActivation ev = m.event();
    final String id = ev.getInferenceId();
    final InferenceAssembly a = inflight.get(id);
    final AssemblyOutcome seen = a == null ? checkSketched(m) : checkKnown(a, m);
    if (seen != null) {
      return seen;
    }
    final Rejection invalid = validator.check(ev);
    if (invalid != null) {
      return new AssemblyOutcome.Invalid(invalid);
    }
    final String module = ev.getModule();
    final int k = ev.getAttributes().size();
    final Integer known = knownLength(module);
    if (known != null && known != k) {
      return new AssemblyOutcome.Invalid(new Rejection(RejectReason.ATTRIBUTE_LENGTH_MISMATCH, "module " + module
          + " has " + known + " attributes, object " + ev.getObjectId() + " of inference " + id + " has " + k));
    }
    if (a != null && a.size() >= limits.maxObjects()) {
      return new AssemblyOutcome.OverLimit(limits.maxObjects(), new Rejection(RejectReason.LIMIT_EXCEEDED,
          "inference " + id + " already has " + a.size() + " objects, the limit (" + ProcessorConfig.MAX_OBJECTS
          + ")"));
    }
    if (known == null) {
      moduleLengths.put(module, k);
      moduleLengthCache.put(module, k);
    }
    final List<InferenceAssembly> evicted = a == null ? makeRoom() : List.of();
    final InferenceAssembly target = a != null ? a : start(id, rawKey, m.timestamp(), nowMs);
    target.add(m);
    if (target.isComplete()) {
      takeOut(target);
      return new AssemblyOutcome.Complete(target, evicted);
    }
    return new AssemblyOutcome.Pending(target, evicted);
  }

  /** For an inference not in flight: a duplicate or late object if it was sketched, else null. */
  private AssemblyOutcome checkSketched(final Member m) {
    final long[] done = recent.get(m.event().getInferenceId());
    if (done == null) {
      return null;
    }
    if (Arrays.binarySearch(done, fingerprint(m)) >= 0) {
      return new AssemblyOutcome.Duplicate();
    }
    return new AssemblyOutcome.Late(new Rejection(RejectReason.LATE_EVENT, "inference "
        + m.event().getInferenceId() + " was already sketched; object " + m.event().getObjectId()
        + " arrived too late (after completion or after the gap)"));
  }

  /** For an inference in flight: a duplicate, a conflict or a second root, else null. */
  private static AssemblyOutcome checkKnown(final InferenceAssembly a, final Member m) {
    final String objectId = m.event().getObjectId();
    return switch (a.classify(m)) {
      case DUPLICATE -> new AssemblyOutcome.Duplicate();
      case CONFLICT -> new AssemblyOutcome.Conflict(new Rejection(RejectReason.DUPLICATE_CONFLICT, "object "
          + objectId + " of inference " + a.inferenceId() + " was already received with different content"));
      case SECOND_ROOT -> new AssemblyOutcome.Conflict(new Rejection(RejectReason.DUPLICATE_ROOT, "object "
          + objectId + " is flagged root but " + a.rootId() + " already is the root of inference "
          + a.inferenceId()));
      case ADDED -> null;
    };
  }

  /**
   * Puts back an object read from the pending store (after a restart or rebalance), unchecked: it was
   * checked when it first arrived. Returns its inference.
   */
  InferenceAssembly restore(final String inferenceId, final Member m, final long nowMs) {
    InferenceAssembly a = inflight.get(inferenceId);
    if (a == null) {
      a = start(inferenceId, inferenceId.getBytes(StandardCharsets.UTF_8), m.timestamp(), nowMs);
    }
    a.add(m);
    return a;
  }

  /** Takes out the inferences whose first record timestamp is at least the gap older than {@code streamTime}. */
  List<InferenceAssembly> expireByStreamTime(final long streamTime) {
    final long cutoff = streamTime - gapMs;
    final List<InferenceAssembly> expired = new ArrayList<>();
    for (final InferenceAssembly a : inflight.values()) {
      if (a.firstTimestamp() <= cutoff) {
        expired.add(a);
      }
    }
    expired.forEach(this::takeOut);
    return expired;
  }

  /** Takes out the inferences first seen at least the wall-clock gap before {@code nowMs}. */
  List<InferenceAssembly> expireByWallClock(final long nowMs) {
    final long cutoff = nowMs - wallClockGapMs;
    final List<InferenceAssembly> expired = new ArrayList<>();
    // Insertion order is first-seen wall-clock order, so the scan stops at the first young inference.
    for (final Iterator<InferenceAssembly> it = inflight.values().iterator(); it.hasNext(); ) {
      final InferenceAssembly a = it.next();
      if (a.firstWallMs() > cutoff) {
        break;
      }
      expired.add(a);
    }
    expired.forEach(this::takeOut);
    return expired;
  }

  /** Inferences in flight. */
  int size() {
    return inflight.size();
  }

  /** Forgets everything held in memory (task re-initialised); the module-length store is kept. */
  void clear() {
    inflight.clear();
    recent.clear();
    moduleLengthCache.clear();
  }

  private InferenceAssembly start(final String id, final byte[] rawKey, final long timestamp, final long nowMs) {
    final InferenceAssembly a = new InferenceAssembly(id, rawKey, timestamp, nowMs);
    inflight.put(id, a);
    return a;
  }

  /** Keeps the in-flight inferences within the limit, counting the one about to start: oldest out first. */
  private List<InferenceAssembly> makeRoom() {
    List<InferenceAssembly> evicted = List.of();
    while (inflight.size() >= limits.maxPendingInferences()) {
      if (evicted.isEmpty()) {
        evicted = new ArrayList<>(1);
      }
      final InferenceAssembly oldest = inflight.values().iterator().next();
      takeOut(oldest);
      evicted.add(oldest);
    }
    return evicted;
  }

  /** The inference leaves: from now on its objects are duplicates or late. */
  private void takeOut(final InferenceAssembly a) {
    inflight.remove(a.inferenceId());
    final long[] prints = new long[a.size()];
    int i = 0;
    for (final Member m : a.members()) {
      prints[i++] = fingerprint(m);
    }
    Arrays.sort(prints);
    recent.put(a.inferenceId(), prints);
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

  private static long fingerprint(final Member m) {
    return ((long) m.event().getObjectId().hashCode() << 32) | (Arrays.hashCode(m.rawValue()) & 0xffffffffL);
  }
}
