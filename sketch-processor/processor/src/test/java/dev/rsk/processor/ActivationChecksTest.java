package dev.rsk.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.avro.ModuleActivation;
import dev.rsk.avro.ModuleInput;
import dev.rsk.sketch.ObjectDag;
import dev.rsk.sketch.RecursiveSketcher;
import dev.rsk.sketch.SketchException;
import dev.rsk.sketch.SketchInput;
import dev.rsk.sketch.SketchObject;
import dev.rsk.sketch.SketchSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The processor's stateless checks, its mapping of engine errors to DLQ reasons, the DLQ headers and
 * the sketching of one assembled inference (depth limit, complete and partial DAGs), each against
 * hand-written events and expectations.
 */
class ActivationChecksTest {
  /** Small limits so that each boundary is cheap: 3 objects, fan-out 2, depth 3, 2 attributes, 5 pending. */
  private static final ProcessorConfig.Limits LIMITS = new ProcessorConfig.Limits(3, 2, 3, 2, 5);
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static ModuleInput in(final String id, final String slot, final float w) {
    return ModuleInput.newBuilder().setObjectId(id).setSlot(slot).setWeight(w).build();
  }

  private static ModuleActivation ev(final String id, final String module, final List<Float> attrs,
      final ModuleInput... inputs) {
    return ModuleActivation.newBuilder().setInferenceId("inf").setObjectId(id).setModule(module)
        .setAttributes(attrs).setInputs(List.of(inputs)).setRoot(false).setEventTime(T0).setSource("cam").build();
  }

  private static Rejection check(final ModuleActivation e) {
    return new ActivationValidator(LIMITS).check(e);
  }

  private static void assertRejected(final ModuleActivation e, final RejectReason reason, final String message) {
    final Rejection r = check(e);
    assertThat(r).as(e.toString()).isNotNull();
    assertThat(r.reason()).isEqualTo(reason);
    assertThat(r.message()).isEqualTo(message);
  }

  @Test
  void theValidatorAcceptsEveryLimitExactlyAndRejectsOnePastIt() {
    assertThat(check(ev("a", "m", List.of(1f, -2f), in("b", null, 0f), in("c", "x", 1f)))).isNull();
    assertThat(check(ev("a", "m", List.of()))).isNull();
    assertRejected(ev("a", "m", List.of(1f, 2f, 3f)), RejectReason.LIMIT_EXCEEDED,
        "object a (module m) has 3 attributes, over the limit of 2 (rsk.limit.attribute.length)");
    assertRejected(ev("a", "m", List.of(), in("b", null, 1f), in("c", null, 1f), in("d", null, 1f)),
        RejectReason.LIMIT_EXCEEDED, "object a has 3 inputs, over the fan-out limit of 2 (rsk.limit.fanout)");
  }

  @Test
  void theValidatorNamesTheFirstBadFieldOfEachKind() {
    assertRejected(ev("", "m", List.of()), RejectReason.INVALID_OBJECT, "objectId must not be empty");
    assertRejected(ev("a", "", List.of()), RejectReason.INVALID_OBJECT, "object a: module must not be empty");
    assertRejected(ev("a", "m", List.of(1f, Float.NaN)), RejectReason.NON_FINITE_ATTRIBUTE,
        "object a (module m): attribute 1 is NaN");
    assertRejected(ev("a", "m", List.of(Float.NEGATIVE_INFINITY)), RejectReason.NON_FINITE_ATTRIBUTE,
        "object a (module m): attribute 0 is -Infinity");
    assertRejected(ev("a", "m", Arrays.asList(1f, null)), RejectReason.NON_FINITE_ATTRIBUTE,
        "object a (module m): attribute 1 is null");
    assertRejected(ev("a", "m", List.of(), in("b", null, 1f), in("", null, 1f)), RejectReason.INVALID_OBJECT,
        "object a: input 1 has no objectId");
    assertRejected(ev("a", "m", List.of(), in("a", null, 1f)), RejectReason.CYCLE, "object a lists itself as input 0");
    assertRejected(ev("a", "m", List.of(), in("b", null, -0.5f)), RejectReason.INVALID_WEIGHT,
        "object a: input 0 (b) has weight -0.5; weights must be finite and >= 0");
    assertRejected(ev("a", "m", List.of(), in("b", null, 1f), in("c", null, Float.POSITIVE_INFINITY)),
        RejectReason.INVALID_WEIGHT, "object a: input 1 (c) has weight Infinity; weights must be finite and >= 0");
    assertRejected(ev("a", "m", List.of(), in("b", null, Float.NaN)), RejectReason.INVALID_WEIGHT,
        "object a: input 0 (b) has weight NaN; weights must be finite and >= 0");
  }

  @Test
  void engineErrorsMapToTheirDlqReasons() {
    final Map<SketchException.Reason, RejectReason> expected = Map.ofEntries(
        Map.entry(SketchException.Reason.CYCLE, RejectReason.CYCLE),
        Map.entry(SketchException.Reason.NON_FINITE_ATTRIBUTE, RejectReason.NON_FINITE_ATTRIBUTE),
        Map.entry(SketchException.Reason.ATTRIBUTE_LENGTH_MISMATCH, RejectReason.ATTRIBUTE_LENGTH_MISMATCH),
        Map.entry(SketchException.Reason.INVALID_WEIGHT, RejectReason.INVALID_WEIGHT),
        Map.entry(SketchException.Reason.LIMIT_EXCEEDED, RejectReason.LIMIT_EXCEEDED),
        Map.entry(SketchException.Reason.DUPLICATE_OBJECT, RejectReason.DUPLICATE_CONFLICT),
        Map.entry(SketchException.Reason.MISSING_INPUT, RejectReason.INVALID_OBJECT),
        Map.entry(SketchException.Reason.UNKNOWN_ROOT, RejectReason.INVALID_OBJECT),
        Map.entry(SketchException.Reason.SPEC_MISMATCH, RejectReason.INVALID_OBJECT),
        Map.entry(SketchException.Reason.INVALID_SPEC, RejectReason.INVALID_OBJECT),
        Map.entry(SketchException.Reason.INVALID_OBJECT, RejectReason.INVALID_OBJECT));
    assertThat(expected).hasSize(SketchException.Reason.values().length);
    expected.forEach((engine, dlq) -> assertThat(RejectReason.of(new SketchException(engine, "x"))).isEqualTo(dlq));
  }

  @Test
  void deadLetterHeadersReplaceOldOnesAndKeepTheOthers() {
    final Headers original = new RecordHeaders();
    original.add("trace", "t1".getBytes(StandardCharsets.UTF_8));
    original.add(DeadLetters.REASON, "OLD".getBytes(StandardCharsets.UTF_8));
    final Headers h = DeadLetters.addHeaders(DeadLetters.newHeaders(original), DeadLetters.REJECTED_CLASS,
        RejectReason.CYCLE, "why", "activations", 3, 42L);
    assertThat(DeadLetters.header(h, "trace")).isEqualTo("t1");
    assertThat(DeadLetters.header(h, DeadLetters.EXCEPTION)).isEqualTo("dev.rsk.processor.RejectedActivation");
    assertThat(DeadLetters.header(h, DeadLetters.MESSAGE)).isEqualTo("why");
    assertThat(DeadLetters.header(h, DeadLetters.TOPIC)).isEqualTo("activations");
    assertThat(DeadLetters.header(h, DeadLetters.PARTITION)).isEqualTo("3");
    assertThat(DeadLetters.header(h, DeadLetters.OFFSET)).isEqualTo("42");
    assertThat(DeadLetters.header(h, DeadLetters.REASON)).isEqualTo("CYCLE");
    assertThat(h.headers(DeadLetters.REASON)).hasSize(1);
    // the original headers are copied, not mutated
    assertThat(DeadLetters.header(original, DeadLetters.REASON)).isEqualTo("OLD");
    final Headers nulls = DeadLetters.addHeaders(DeadLetters.newHeaders(null), "E", RejectReason.EMPTY_VALUE, null,
        null, -1, -1L);
    assertThat(DeadLetters.header(nulls, DeadLetters.MESSAGE)).isEmpty();
    assertThat(DeadLetters.header(nulls, DeadLetters.TOPIC)).isEmpty();
    assertThat(DeadLetters.header(nulls, DeadLetters.PARTITION)).isEqualTo("-1");
    assertThat(DeadLetters.header(nulls, "absent")).isNull();
    nulls.add("empty", null);
    assertThat(DeadLetters.header(nulls, "empty")).isNull();
  }

  /** A chain r -> c1 -> ... -> c(n-1), r the root. */
  private static InferenceAssembly chain(final int n) {
    final InferenceAssembly a = new InferenceAssembly("inf", new byte[0], 0, 0);
    for (int i = 0; i < n; i++) {
      final String id = i == 0 ? "r" : "c" + i;
      final ModuleInput[] inputs = i + 1 < n ? new ModuleInput[] {in("c" + (i + 1), null, 1f)} : new ModuleInput[0];
      final ModuleActivation e = ModuleActivation.newBuilder(ev(id, "m", List.of(0.5f), inputs)).setRoot(i == 0)
          .setEventTime(T0.plusSeconds(i)).setSource("src" + i).build();
      a.add(new Member(e, new byte[0], i, i));
    }
    return a;
  }

  @Test
  void theDepthLimitCountsObjectsOnTheLongestChain() {
    final InferenceSketcher s = new InferenceSketcher(SketchSpec.defaults().withD(64), LIMITS.maxDepth());
    assertThat(s.sketch(chain(3), true, 0).getObjectCount()).isEqualTo(3);
    assertThatThrownBy(() -> s.sketch(chain(4), true, 0))
        .isInstanceOfSatisfying(SketchException.class,
            e -> assertThat(e.reason()).isEqualTo(SketchException.Reason.LIMIT_EXCEEDED))
        .hasMessageContaining("inference inf is deeper than the limit of 3 objects (rsk.limit.depth)");
    // a diamond: two paths of 3 objects, no chain of 4
    final InferenceAssembly diamond = new InferenceAssembly("d", new byte[0], 0, 0);
    diamond.add(new Member(ModuleActivation.newBuilder(ev("r", "m", List.of(1f), in("a", null, 1f), in("b", null, 1f)))
        .setRoot(true).build(), new byte[0], 0, 0));
    diamond.add(new Member(ev("a", "m", List.of(1f), in("x", null, 1f)), new byte[0], 1, 0));
    diamond.add(new Member(ev("b", "m", List.of(1f), in("x", null, 1f)), new byte[0], 2, 0));
    diamond.add(new Member(ev("x", "m", List.of(1f)), new byte[0], 3, 0));
    assertThat(s.sketch(diamond, true, 0).getObjectCount()).isEqualTo(4);
  }

  @Test
  void aCompleteInferenceIsTheEngineSketchOfItsObjectsWithTheRootsSourceAndTime() {
    final SketchSpec spec = SketchSpec.defaults().withD(64);
    final InferenceAssembly a = chain(3);
    final InferenceSketch out = new InferenceSketcher(spec, 10).sketch(a, true, 1234L);
    final List<SketchObject> objects = List.of(
        new SketchObject("r", "m", new float[] {0.5f}, List.of(new SketchInput("c1", null, 1f))),
        new SketchObject("c1", "m", new float[] {0.5f}, List.of(new SketchInput("c2", null, 1f))),
        SketchObject.leaf("c2", "m", 0.5f));
    final float[] expected = new RecursiveSketcher(spec).sketch(ObjectDag.of(objects, "r")).vector();
    final float[] got = new float[out.getVector().size()];
    for (int i = 0; i < got.length; i++) {
      got[i] = out.getVector().get(i);
    }
    assertThat(got).containsExactly(expected);
    assertThat(out.getInferenceId()).isEqualTo("inf");
    assertThat(out.getSource()).isEqualTo("src0");
    assertThat(out.getEventTime()).isEqualTo(T0);
    assertThat(out.getComplete()).isTrue();
    assertThat(out.getMissingInputs()).isZero();
    assertThat(out.getModuleCounts()).isEqualTo(Map.of("m", 3));
    assertThat(out.getAttributeLengths()).isEqualTo(Map.of("m", 1));
    assertThat(out.getSketchedAt()).isEqualTo(Instant.ofEpochMilli(1234L));
    assertThat(out.getParams().getD()).isEqualTo(64);
  }

  @Test
  void anIncompleteInferenceWithoutRootTakesTheFirstSourceAndTheEarliestTime() {
    final InferenceAssembly a = new InferenceAssembly("inf", new byte[0], 0, 0);
    a.add(new Member(ModuleActivation.newBuilder(ev("x", "m", List.of(1f), in("gone", null, 1f)))
        .setSource("first").setEventTime(T0.plusSeconds(5)).build(), new byte[0], 0, 0));
    a.add(new Member(ModuleActivation.newBuilder(ev("y", "m", List.of(2f))).setSource("second")
        .setEventTime(T0.plusSeconds(2)).build(), new byte[0], 1, 0));
    final InferenceSketch out = new InferenceSketcher(SketchSpec.defaults().withD(64), 10).sketch(a, false, 0);
    assertThat(out.getComplete()).isFalse();
    assertThat(out.getMissingInputs()).isEqualTo(1);
    assertThat(out.getSource()).isEqualTo("first");
    assertThat(out.getEventTime()).isEqualTo(T0.plusSeconds(2));
    assertThat(out.getObjectCount()).isEqualTo(2);
    assertThat(out.getModuleCounts()).isEqualTo(Map.of("m", 2));
  }

  @Test
  void floatListIsAReadOnlyViewOfTheArray() {
    final float[] values = {1f, -2.5f};
    final InferenceSketcher.FloatList list = new InferenceSketcher.FloatList(values);
    assertThat(list).containsExactly(1f, -2.5f);
    values[1] = 7f;
    assertThat(list.get(1)).isEqualTo(7f);
    assertThatThrownBy(() -> list.add(3f)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(new ArrayList<>(list)).hasSize(2);
  }
}
