package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The assembly state machine on its own: no Kafka, no driver; every expected outcome written by hand. */
class InferenceAssemblerTest {
  private static final byte[] KEY = "i".getBytes(StandardCharsets.UTF_8);

  /** The fake module-length store: what the assembler wrote to it. */
  private final Map<String, Integer> stored = new TreeMap<>();
  private final InferenceAssembler.ModuleLengths lengths = new InferenceAssembler.ModuleLengths() {
    @Override
    public Integer get(final String module) {
      return stored.get(module);
    }

    @Override
    public void put(final String module, final int length) {
      stored.put(module, length);
    }
  };

  /** Limits: 3 objects per inference, 2 inferences in flight; gaps 10 s (stream), 60 s (wall clock). */
  private InferenceAssembler assembler() {
    return new InferenceAssembler(new ProcessorConfig.Limits(3, 8, 16, 8, 2), 100, Duration.ofSeconds(10),
        Duration.ofSeconds(60), lengths);
  }

  private static ModuleActivation event(final String inference, final String object, final String module,
      final boolean root, final List<Float> attributes, final String... inputs) {
    final List<ModuleInput> in = new ArrayList<>();
    for (final String c : inputs) {
      in.add(ModuleInput.newBuilder().setObjectId(c).setSlot(null).setWeight(1f).build());
    }
    return ModuleActivation.newBuilder().setInferenceId(inference).setObjectId(object).setModule(module)
        .setAttributes(new ArrayList<>(attributes)).setInputs(in).setRoot(root)
        .setEventTime(Instant.parse("2026-01-01T00:00:00Z")).build();
  }

  /** A member whose "record bytes" are its object id and a version tag: same tag, same bytes. */
  private static Member member(final ModuleActivation ev, final String bytesTag, final long timestamp) {
    return new Member(ev, (ev.getObjectId() + "/" + bytesTag).getBytes(StandardCharsets.UTF_8), 7L, timestamp);
  }

  private static final ModuleActivation ROOT = event("i", "s", "scene", true, List.of(1f), "c");
  private static final ModuleActivation CHILD = event("i", "c", "cat", false, List.of(2f, 3f));

  private static List<String> objectIds(final InferenceAssembly a) {
    return a.members().stream().map(m -> m.event().getObjectId()).toList();
  }

  private static List<String> ids(final List<InferenceAssembly> as) {
    return as.stream().map(InferenceAssembly::inferenceId).toList();
  }

  @Test
  void aFirstObjectWhoseInputIsMissingIsPending() {
    final InferenceAssembler asm = assembler();
    final AssemblyOutcome out = asm.offer(member(ROOT, "v1", 1_000), KEY, 50);
    assertThat(out).isInstanceOf(AssemblyOutcome.Pending.class);
    final InferenceAssembly a = ((AssemblyOutcome.Pending) out).assembly();
    assertThat(((AssemblyOutcome.Pending) out).evicted()).isEmpty();
    assertThat(a.inferenceId()).isEqualTo("i");
    assertThat(a.rawKey()).isEqualTo(KEY);
    assertThat(objectIds(a)).containsExactly("s");
    assertThat(a.missingCount()).isEqualTo(1);
    assertThat(a.firstTimestamp()).isEqualTo(1_000);
    assertThat(a.firstWallMs()).isEqualTo(50);
    assertThat(asm.size()).isEqualTo(1);
    assertThat(stored).containsExactly(Map.entry("scene", 1));
  }

  @Test
  void theLastMissingObjectCompletesTheInferenceAndTakesItOut() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(ROOT, "v1", 1_000), KEY, 50);
    final AssemblyOutcome out = asm.offer(member(CHILD, "v1", 2_000), KEY, 60);
    assertThat(out).isInstanceOf(AssemblyOutcome.Complete.class);
    final InferenceAssembly a = ((AssemblyOutcome.Complete) out).assembly();
    assertThat(((AssemblyOutcome.Complete) out).evicted()).isEmpty();
    assertThat(objectIds(a)).containsExactly("s", "c");
    assertThat(a.rootId()).isEqualTo("s");
    assertThat(a.lastTimestamp()).isEqualTo(2_000);
    assertThat(asm.size()).isZero();
    assertThat(stored).containsExactly(Map.entry("cat", 2), Map.entry("scene", 1));
  }

  @Test
  void anIdenticalRedeliveryIsADuplicateBeforeAndAfterCompletion() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(ROOT, "v1", 1_000), KEY, 50);
    assertThat(asm.offer(member(ROOT, "v1", 1_500), KEY, 55)).isEqualTo(new AssemblyOutcome.Duplicate());
    asm.offer(member(CHILD, "v1", 2_000), KEY, 60);
    assertThat(asm.offer(member(CHILD, "v1", 3_000), KEY, 70)).isEqualTo(new AssemblyOutcome.Duplicate());
    assertThat(asm.size()).isZero();
  }

  @Test
  void aNewObjectOfASketchedInferenceIsLate() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(ROOT, "v1", 1_000), KEY, 50);
    asm.offer(member(CHILD, "v1", 2_000), KEY, 60);
    assertThat(asm.offer(member(event("i", "x", "cat", false, List.of(0f, 0f)), "v1", 3_000), KEY, 70))
        .isEqualTo(new AssemblyOutcome.Late(new Rejection(RejectReason.LATE_EVENT, "inference i was already"
            + " sketched; object x arrived too late (after completion or after the gap)")));
    // Same object id as a sketched member, other bytes: not a redelivery either.
    assertThat(asm.offer(member(CHILD, "v2", 3_000), KEY, 70)).isInstanceOf(AssemblyOutcome.Late.class);
  }

  @Test
  void otherContentUnderAKnownObjectIdOrASecondRootIsAConflict() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(CHILD, "v1", 1_000), KEY, 50);
    assertThat(asm.offer(member(event("i", "c", "cat", false, List.of(9f, 9f)), "v2", 1_000), KEY, 50))
        .isEqualTo(new AssemblyOutcome.Conflict(new Rejection(RejectReason.DUPLICATE_CONFLICT,
            "object c of inference i was already received with different content")));
    asm.offer(member(event("i", "s", "scene", true, List.of(1f), "c", "d"), "v1", 1_000), KEY, 50);
    assertThat(asm.offer(member(event("i", "s2", "scene", true, List.of(1f)), "v1", 1_000), KEY, 50))
        .isEqualTo(new AssemblyOutcome.Conflict(new Rejection(RejectReason.DUPLICATE_ROOT,
            "object s2 is flagged root but s already is the root of inference i")));
    assertThat(asm.size()).isEqualTo(1);
  }

  @Test
  void anInferenceAtTheObjectLimitRejectsFurtherObjects() {
    final InferenceAssembler asm = assembler();
    for (final String id : List.of("a", "b", "c")) {
      asm.offer(member(event("i", id, "cat", false, List.of(1f, 2f), "missing"), "v1", 1_000), KEY, 50);
    }
    assertThat(asm.offer(member(event("i", "d", "cat", false, List.of(1f, 2f)), "v1", 1_000), KEY, 50))
        .isEqualTo(new AssemblyOutcome.OverLimit(3, new Rejection(RejectReason.LIMIT_EXCEEDED,
            "inference i already has 3 objects, the limit (rsk.limit.objects)")));
  }

  @Test
  void anInvalidEventOrAChangedModuleLengthIsInvalidAndChangesNothing() {
    final InferenceAssembler asm = assembler();
    assertThat(asm.offer(member(event("i", "c", "cat", false, List.of(1f, Float.NaN)), "v1", 1_000), KEY, 50))
        .isEqualTo(new AssemblyOutcome.Invalid(new Rejection(RejectReason.NON_FINITE_ATTRIBUTE,
            "object c (module cat): attribute 1 is NaN")));
    assertThat(asm.size()).isZero();
    assertThat(stored).isEmpty();

    asm.offer(member(CHILD, "v1", 1_000), KEY, 50);
    assertThat(asm.offer(member(event("j", "d", "cat", false, List.of(1f, 2f, 3f)), "v1", 1_000),
        "j".getBytes(StandardCharsets.UTF_8), 50))
        .isEqualTo(new AssemblyOutcome.Invalid(new Rejection(RejectReason.ATTRIBUTE_LENGTH_MISMATCH,
            "module cat has 2 attributes, object d of inference j has 3")));
    assertThat(asm.size()).isEqualTo(1);
    assertThat(stored).containsExactly(Map.entry("cat", 2));
  }

  @Test
  void aModuleLengthKnownOnlyToTheStoreIsEnforced() {
    stored.put("cat", 5); // written by an earlier run of the task
    assertThat(assembler().offer(member(CHILD, "v1", 1_000), KEY, 50))
        .isEqualTo(new AssemblyOutcome.Invalid(new Rejection(RejectReason.ATTRIBUTE_LENGTH_MISMATCH,
            "module cat has 5 attributes, object c of inference i has 2")));
  }

  @Test
  void overThePendingLimitTheOldestInferenceIsEvictedForTheNewOne() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(event("a", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 1_000), KEY, 50);
    asm.offer(member(event("b", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 1_000), KEY, 50);
    final AssemblyOutcome out = asm.offer(member(event("c", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 1_000),
        KEY, 50);
    assertThat(out).isInstanceOf(AssemblyOutcome.Pending.class);
    assertThat(((AssemblyOutcome.Pending) out).assembly().inferenceId()).isEqualTo("c");
    assertThat(ids(((AssemblyOutcome.Pending) out).evicted())).containsExactly("a");
    assertThat(asm.size()).isEqualTo(2);
    // "a" left: its objects are now redeliveries or late.
    assertThat(asm.offer(member(event("a", "m", "cat", false, List.of(1f, 2f)), "v1", 1_000), KEY, 50))
        .isInstanceOf(AssemblyOutcome.Late.class);
  }

  @Test
  void theStreamTimeGapExpiresInferencesByTheirFirstRecordTimestamp() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(event("a", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 1_000), KEY, 50);
    asm.offer(member(event("b", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 5_000), KEY, 50);
    assertThat(asm.expireByStreamTime(10_999)).isEmpty();
    assertThat(ids(asm.expireByStreamTime(11_000))).containsExactly("a");
    assertThat(asm.size()).isEqualTo(1);
    assertThat(ids(asm.expireByStreamTime(20_000))).containsExactly("b");
    assertThat(asm.size()).isZero();
  }

  @Test
  void theWallClockGapExpiresInferencesByWhenTheyWereFirstSeen() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(event("a", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 1_000), KEY, 0);
    asm.offer(member(event("b", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 1_000), KEY, 30_000);
    assertThat(asm.expireByWallClock(59_999)).isEmpty();
    assertThat(ids(asm.expireByWallClock(60_000))).containsExactly("a");
    assertThat(ids(asm.expireByWallClock(90_000))).containsExactly("b");
  }

  @Test
  void restoredObjectsRebuildTheInferenceUnderItsIdAsKey() {
    final InferenceAssembler asm = assembler();
    final InferenceAssembly a = asm.restore("i", member(ROOT, "v1", 1_000), 50);
    assertThat(asm.restore("i", member(event("i", "d", "dog", false, List.of(1f)), "v1", 900), 60)).isSameAs(a);
    assertThat(a.rawKey()).isEqualTo(new byte[] {'i'});
    assertThat(objectIds(a)).containsExactly("s", "d");
    assertThat(a.firstTimestamp()).isEqualTo(1_000);
    assertThat(asm.offer(member(ROOT, "v1", 1_000), KEY, 70)).isEqualTo(new AssemblyOutcome.Duplicate());
    assertThat(asm.offer(member(CHILD, "v1", 1_000), KEY, 70)).isInstanceOf(AssemblyOutcome.Complete.class);
  }

  @Test
  void clearForgetsInflightAndSketchedInferences() {
    final InferenceAssembler asm = assembler();
    asm.offer(member(ROOT, "v1", 1_000), KEY, 50);
    asm.offer(member(CHILD, "v1", 2_000), KEY, 60);
    asm.offer(member(event("j", "o", "cat", false, List.of(1f, 2f), "m"), "v1", 1_000), KEY, 50);
    asm.clear();
    assertThat(asm.size()).isZero();
    // "i" is no longer remembered as sketched: its root starts a new inference.
    assertThat(asm.offer(member(ROOT, "v1", 1_000), KEY, 70)).isInstanceOf(AssemblyOutcome.Pending.class);
  }
}
