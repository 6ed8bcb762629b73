package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.SketchException.Reason;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-written byte layouts, documented limits at and past their boundary, and the value types' contracts. */
class BoundariesTest {
  private static final SketchSpec D16 = SketchSpec.of(16, 1, 0.5, 0.5);

  private static void assertReason(final Runnable r, final Reason reason, final String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageStartingWith(reason + ": ")
        .hasMessageContaining(message);
  }

  @Test
  void int8FormIsFormatByteBigEndianScaleThenOneSignedBytePerCoordinate() {
    // max |v| = 127: scale 1 (0x3F800000); 50 -> 50, -127 -> -127, 0.4 -> 0, 0.6 -> 1, 126.5 -> 127
    final byte[] bytes = Sketches.toInt8(new Sketch(D16, new float[] {50f, -127f, 0.4f, 0.6f, 126.5f}));
    assertThat(bytes).containsExactly(1, 0x3F, (byte) 0x80, 0, 0, 50, -127, 0, 1, 127);
    assertThat(Sketches.toInt8(new Sketch(D16, new float[3]))).containsExactly(1, 0, 0, 0, 0, 0, 0, 0);
    // scale 0.5 (0x3F000000): bytes 2, -4, 127 read as 1, -2, 63.5
    final Sketch s = Sketches.fromInt8(D16, new byte[] {1, 0x3F, 0, 0, 0, 2, -4, 127});
    assertThat(s.vector()).containsExactly(1f, -2f, 63.5f);
    assertThat(s.spec()).isEqualTo(D16);
    final byte[] sixteen = new byte[Sketches.INT8_HEADER_BYTES + 16];
    sixteen[0] = Sketches.INT8_FORMAT;
    assertThat(Sketches.fromInt8(D16, sixteen).length()).isEqualTo(16);
    final byte[] seventeen = new byte[Sketches.INT8_HEADER_BYTES + 17];
    seventeen[0] = 1;
    assertReason(() -> Sketches.fromInt8(D16, seventeen), Reason.INVALID_OBJECT, "17 coordinates, more than d=16");
    assertReason(() -> Sketches.fromInt8(D16, new byte[] {1, 0, 0, 0, 0}), Reason.INVALID_OBJECT, "at least 6 bytes");
    assertReason(() -> Sketches.fromInt8(D16, null), Reason.INVALID_OBJECT, "at least 6 bytes");
    assertReason(() -> Sketches.fromInt8(D16, new byte[] {0, 0, 0, 0, 0, 1}), Reason.INVALID_OBJECT, "format 0");
    // -0.5 (0xBF000000), NaN (0x7FC00000), +infinity (0x7F800000)
    for (final byte[] bad : List.of(new byte[] {1, (byte) 0xBF, 0, 0, 0, 1}, new byte[] {1, 0x7F, (byte) 0xC0, 0, 0, 1},
        new byte[] {1, 0x7F, (byte) 0x80, 0, 0, 1})) {
      assertReason(() -> Sketches.fromInt8(D16, bad), Reason.INVALID_OBJECT, "scale must be finite and >= 0");
    }
  }

  @Test
  void sumScaleAndTruncateAtTheirBoundaries() {
    final Sketch a = new Sketch(D16, new float[] {1, 2, 3});
    final Sketch other = new Sketch(D16.withSeed(2), new float[] {1, 2, 3});
    assertReason(() -> Sketches.sum(a, other), Reason.SPEC_MISMATCH, "cannot combine");
    assertReason(() -> Sketches.cosine(a, other), Reason.SPEC_MISMATCH, "cannot combine");
    assertReason(() -> Sketches.sum(a, null), Reason.INVALID_OBJECT, "must not be null");
    assertReason(() -> Sketches.sum(null, a), Reason.INVALID_OBJECT, "must not be null");
    assertThat(Sketches.sum(a, new Sketch(D16, new float[] {10, 20})).vector()).containsExactly(11f, 22f);
    assertThat(Sketches.scale(a, -0.5f).vector()).containsExactly(-0.5f, -1f, -1.5f);
    assertReason(() -> Sketches.scale(a, Float.NaN), Reason.INVALID_OBJECT, "scale factor must be finite");
    assertReason(() -> Sketches.scale(a, Float.POSITIVE_INFINITY), Reason.INVALID_OBJECT, "finite");
    final Sketch full = new Sketch(D16, new float[16]);
    // round(q d) coordinates, at least one, never more than the sketch has
    assertThat(Sketches.truncate(full, 0.01).length()).isEqualTo(1);
    assertThat(Sketches.truncate(full, 0.5).length()).isEqualTo(8);
    assertThat(Sketches.truncate(full, 0.53).length()).isEqualTo(8); // 8.48
    assertThat(Sketches.truncate(full, 0.54).length()).isEqualTo(9); // 8.64
    assertThat(Sketches.truncate(a, 0.5).length()).isEqualTo(3);
    assertThat(Sketches.truncate(a, 0.125).vector()).containsExactly(1f, 2f);
    assertThat(Sketches.truncate(full, 1)).isSameAs(full);
    for (final double bad : new double[] {0, -0.5, 1.0000001, Double.NaN}) {
      assertReason(() -> Sketches.truncate(full, bad), Reason.INVALID_OBJECT, "truncation fraction must be in (0, 1]");
    }
  }

  @Test
  void sketchValueContract() {
    assertReason(() -> new Sketch(D16, new float[0]), Reason.INVALID_OBJECT, "in [1, d=16], got 0");
    assertReason(() -> new Sketch(D16, new float[17]), Reason.INVALID_OBJECT, "got 17");
    assertReason(() -> new Sketch(null, new float[1]), Reason.INVALID_OBJECT, "must not be null");
    assertReason(() -> new Sketch(D16, null), Reason.INVALID_OBJECT, "must not be null");
    assertThat(new Sketch(D16, new float[16]).truncated()).isFalse();
    assertThat(new Sketch(D16, new float[15]).truncated()).isTrue();
    final Sketch a = new Sketch(D16, new float[] {3, 4});
    assertThat(a).isEqualTo(new Sketch(D16, new float[] {3, 4}));
    assertThat(a.hashCode()).isEqualTo(new Sketch(D16, new float[] {3, 4}).hashCode());
    assertThat(a).isNotEqualTo(new Sketch(D16, new float[] {3, 5}));
    assertThat(a).isNotEqualTo(new Sketch(D16.withSeed(9), new float[] {3, 4}));
    assertThat(a).isNotEqualTo("a sketch");
    assertThat(a.toString()).contains("length=2").contains("norm=5.0");
  }

  @Test
  void specAtTheEdges() {
    assertThat(SketchSpec.of(16, 1, 0, 0).alpha()).isZero();
    assertThat(SketchSpec.of(16, 1, 1, 0).alpha()).isEqualTo(1);
    assertThat(SketchSpec.defaults().withD(64).d()).isEqualTo(64);
    assertThat(SketchSpec.defaults().withD(64).seed()).isEqualTo(SketchSpec.DEFAULT_SEED);
    assertThat(SketchSpec.defaults().withSeed(3)).isEqualTo(SketchSpec.of(1024, 3, 0.5, 0.5));
    assertReason(() -> SketchSpec.of(16, 1, Double.POSITIVE_INFINITY, 0), Reason.INVALID_SPEC, "alpha must be finite");
    assertReason(() -> SketchSpec.of(16, 1, 0, -0.1), Reason.INVALID_SPEC, "beta must be finite and >= 0");
    assertReason(() -> SketchSpec.of(16, 1, 1, 1e-4), Reason.INVALID_SPEC, "alpha^2 + beta^2");
    assertReason(() -> new SketchSpec(16, 1, 0.5, 0.5, 0), Reason.INVALID_SPEC, "unsupported scheme version 0");
  }

  @Test
  void valueTypesRejectWhatTheyDocument() {
    assertReason(() -> new SketchObject("a", "", new float[0], null), Reason.INVALID_OBJECT,
        "module must be non-empty");
    assertReason(() -> new SketchObject("a", null, new float[0], null), Reason.INVALID_OBJECT, "module");
    assertReason(() -> new SketchObject("a", "m", null, null), Reason.INVALID_OBJECT, "attributes must not be null");
    assertReason(() -> SketchObject.leaf("a", "m", 1f, Float.POSITIVE_INFINITY), Reason.NON_FINITE_ATTRIBUTE,
        "attribute 1 is Infinity");
    assertThat(new SketchObject("a", "m", new float[0], null).inputs()).isEmpty();
    final SketchObject o = new SketchObject("a", "m", new float[] {1, 2}, List.of(SketchInput.of("b", "s")));
    assertThat(o).isEqualTo(new SketchObject("a", "m", new float[] {1, 2}, List.of(new SketchInput("b", "s", 1f))));
    assertThat(o.hashCode())
        .isEqualTo(new SketchObject("a", "m", new float[] {1, 2}, List.of(new SketchInput("b", "s", 1f))).hashCode());
    assertThat(o).isNotEqualTo(new SketchObject("a", "m", new float[] {1, 3}, List.of(SketchInput.of("b", "s"))));
    assertThat(o).isNotEqualTo(new SketchObject("x", "m", new float[] {1, 2}, List.of(SketchInput.of("b", "s"))));
    assertThat(o).isNotEqualTo(new SketchObject("a", "n", new float[] {1, 2}, List.of(SketchInput.of("b", "s"))));
    assertThat(o).isNotEqualTo(new SketchObject("a", "m", new float[] {1, 2}, List.of()));
    assertThat(o).isNotEqualTo("a");
    assertThat(o.toString()).contains("attributes=[1.0, 2.0]").contains("id=a").contains("module=m");
    assertThat(SketchInput.of("b", "s").weight()).isEqualTo(1f);
    assertThat(new SketchInput("b", null, 0f).weight()).isZero();
    assertReason(() -> new SketchInput(null, "s", 1f), Reason.INVALID_OBJECT, "childId must not be null");
    assertReason(() -> new SketchInput("b", "s", Float.POSITIVE_INFINITY), Reason.INVALID_WEIGHT, "(input b)");
    assertThat(new ModuleEdge("m", "0", "n", 1).count()).isEqualTo(1);
    assertReason(() -> new ModuleEdge("m", "0", "n", 0), Reason.INVALID_OBJECT, "count must be >= 1, got 0");
    assertReason(() -> new ModuleEdge(null, "0", "n", 1), Reason.INVALID_OBJECT, "must not be null");
    assertReason(() -> new ModuleEdge("m", null, "n", 1), Reason.INVALID_OBJECT, "must not be null");
    assertReason(() -> new ModuleEdge("m", "0", null, 1), Reason.INVALID_OBJECT, "must not be null");
  }

  @Test
  void tagStepsParseAtTheLastBracket() {
    assertThat(TagStep.parse("car[wheel0]")).isEqualTo(new TagStep("car", "wheel0"));
    assertThat(TagStep.parse("a[b][c]")).isEqualTo(new TagStep("a[b]", "c"));
    assertThat(TagStep.parse("m[]")).isEqualTo(new TagStep("m", ""));
    assertThat(new TagStep("car", "1").toString()).isEqualTo("car[1]");
    for (final String bad : new String[] {"[b]", "ab", "a[b", null, "a]b["}) {
      assertReason(() -> TagStep.parse(bad), Reason.INVALID_OBJECT, "must look like module[slot], got " + bad);
    }
    assertReason(() -> new TagStep(null, "s"), Reason.INVALID_OBJECT, "must not be null");
    assertReason(() -> new TagStep("m", null), Reason.INVALID_OBJECT, "must not be null");
  }

  @Test
  void dagLimitsAtAndPastTheirBoundary() {
    final List<SketchInput> many = new ArrayList<>();
    final List<SketchObject> objects = new ArrayList<>();
    for (int i = 0; i < ObjectDag.MAX_INPUTS; i++) {
      many.add(new SketchInput("leaf", "0", 1f));
    }
    objects.add(SketchObject.leaf("leaf", "l"));
    objects.add(new SketchObject("root", "r", new float[0], many));
    assertThat(ObjectDag.of(objects, "root").edges())
        .containsExactly(new ModuleEdge("r", "0", "l", ObjectDag.MAX_INPUTS));
    many.add(new SketchInput("leaf", "0", 1f));
    objects.set(1, new SketchObject("root", "r", new float[0], many));
    assertReason(() -> ObjectDag.of(objects, "root"), Reason.LIMIT_EXCEEDED, "has 65537 inputs, limit 65536");
    assertThat(ObjectDag.of(List.of(SketchObject.leaf("a", "m", new float[ObjectDag.MAX_ATTRIBUTES])), "a").size())
        .isEqualTo(1);
    assertReason(() -> ObjectDag.of(List.of(SketchObject.leaf("a", "m", new float[4097])), "a"),
        Reason.LIMIT_EXCEEDED, "has 4097 attributes, limit 4096");
    // the object limit is checked on the collection's size, before any object is read
    assertReason(() -> ObjectDag.of(sized(ObjectDag.MAX_OBJECTS + 1), "a"), Reason.LIMIT_EXCEEDED,
        "1000001 objects exceed the limit of 1000000");
    assertReason(() -> ObjectDag.of(sized(ObjectDag.MAX_OBJECTS), "a"), Reason.UNKNOWN_ROOT, "root object a is absent");
    assertReason(() -> ObjectDag.of(null, "a"), Reason.INVALID_OBJECT, "objects must not be null");
    assertReason(() -> ObjectDag.of(Collections.singletonList(null), "a"), Reason.INVALID_OBJECT, "null object");
    assertReason(() -> ObjectDag.of(List.of(SketchObject.leaf("a", "m")), null), Reason.UNKNOWN_ROOT,
        "must not be null");
    assertReason(() -> ObjectDag.of(List.of(SketchObject.leaf("a", "m", 1f), SketchObject.leaf("b", "m", 1f, 2f)), "a"),
        Reason.ATTRIBUTE_LENGTH_MISMATCH, "module m has 1 attributes, but object b has 2");
    assertReason(() -> ObjectDag.partial(List.of(SketchObject.leaf(ObjectDag.VIRTUAL_ROOT_ID, "m")), null),
        Reason.DUPLICATE_OBJECT, "reserved for the virtual root");
    assertReason(() -> ObjectDag.of(
        List.of(new SketchObject("a", "m", new float[0], List.of(SketchInput.of("gone", "0")))), "a"),
        Reason.MISSING_INPUT, "object a references missing input gone");
  }

  @Test
  void aDagReportsUnreachableObjectsMomentsAndItsRoot() {
    final ObjectDag dag = ObjectDag.of(List.of(
        new SketchObject("r", "root", new float[] {1}, List.of(SketchInput.of("a", "0"), SketchInput.of("b", "1"))),
        SketchObject.leaf("a", "leaf", 1f, -2f),
        SketchObject.leaf("b", "leaf", 3f, 0.5f),
        SketchObject.leaf("x", "leaf", 100f, 100f),
        SketchObject.leaf("y", "other")), "r");
    assertThat(dag.size()).isEqualTo(3);
    assertThat(dag.unreachable()).isEqualTo(2);
    assertThat(dag.missingInputs()).isZero();
    assertThat(dag.rootId()).isEqualTo("r");
    assertThat(dag.rootModule()).isEqualTo("root");
    assertThat(dag.hasVirtualRoot()).isFalse();
    assertThat(dag.moduleCounts()).isEqualTo(Map.of("root", 1, "leaf", 2));
    assertThat(dag.attributeLengths()).isEqualTo(Map.of("root", 1, "leaf", 2));
    final AttributeMoments leaf = dag.attributeMoments().get("leaf");
    assertThat(leaf.sums()).containsExactly(4, -1.5);
    assertThat(leaf.squares()).containsExactly(10, 4.25);
    assertThat(dag.attributeMoments().get("root").sums()).containsExactly(1);
    final ObjectDag partial = ObjectDag.partial(
        List.of(SketchObject.leaf("a", "leaf", 1f, 2f), SketchObject.leaf("b", "leaf", 3f, 4f)), null);
    assertThat(partial.rootModule()).isEqualTo(ObjectDag.VIRTUAL_ROOT_MODULE);
    assertThat(partial.unreachable()).isZero();
    assertThat(partial.attributeMoments()).containsOnlyKeys("leaf");
    assertThat(partial.attributeMoments().get("leaf").sums()).containsExactly(4, 6);
    assertThat(partial.moduleDepths().get("leaf")).containsExactly(0, 2);
    assertThat(partial.moduleDepths().get(ObjectDag.VIRTUAL_ROOT_MODULE)).containsExactly(1);
    // the virtual root is a plain object on the sketch: E_root x̄ (no attributes) plus both leaves on slot 0
    final SketchSpec spec = SketchSpec.of(64, 5, 0.5, 0.5);
    final double[] expected = new ReferenceScheme(spec).sketch(List.of(
        new SketchObject(ObjectDag.VIRTUAL_ROOT_ID, ObjectDag.VIRTUAL_ROOT_MODULE, new float[0],
            List.of(new SketchInput("a", "0", 1f), new SketchInput("b", "0", 1f))),
        SketchObject.leaf("a", "leaf", 1f, 2f), SketchObject.leaf("b", "leaf", 3f, 4f)), ObjectDag.VIRTUAL_ROOT_ID);
    final float[] got = new RecursiveSketcher(spec).sketch(partial).vector();
    for (int i = 0; i < 64; i++) {
      assertThat((double) got[i]).isCloseTo(expected[i], within(1e-5 * ReferenceScheme.norm(expected)));
    }
  }

  @Test
  void presenceIndexLimitAndSpec() {
    final SketchSpec spec = SketchSpec.of(1024, 1, 0.5, 0.5);
    final List<String> modules = new ArrayList<>();
    for (int i = 0; i < (int) (PresenceIndex.MAX_ENTRIES / 1024); i++) {
      modules.add("m" + i);
    }
    assertThat((long) modules.size() * 1024).isEqualTo(PresenceIndex.MAX_ENTRIES);
    modules.add("one too many");
    assertReason(() -> new PresenceIndex(spec, modules), Reason.LIMIT_EXCEEDED, "16385 modules x d=1024 exceed");
    final PresenceIndex idx = new PresenceIndex(D16, List.of("b", "a"));
    assertThat(idx.modules()).containsExactly("b", "a");
    assertReason(() -> idx.presence(new Sketch(D16.withSeed(4), new float[] {1})), Reason.SPEC_MISMATCH, "index has");
    // e_0 scaled: presence = sqrt(2) E[0][0] * d / m with m = 1, E[0][0] = +-1/4
    final double[] p = idx.presence(new Sketch(D16, new float[] {1}));
    final ReferenceScheme ref = new ReferenceScheme(D16);
    assertThat(p[0]).isCloseTo(Math.sqrt(2) * ref.e("b", 0, 0) * 16, within(1e-6));
    assertThat(p[1]).isCloseTo(Math.sqrt(2) * ref.e("a", 0, 0) * 16, within(1e-6));
  }

  @Test
  void decoderArgumentsAreChecked() {
    final SketchDecoder dec = new SketchDecoder(D16);
    final Sketch s = new Sketch(D16, new float[] {1});
    assertReason(() -> dec.readout(s, "m", -1), Reason.LIMIT_EXCEEDED, "k must be in [0, 4096], got -1");
    assertReason(() -> dec.readout(s, "m", 4097), Reason.LIMIT_EXCEEDED, "got 4097");
    assertThat(dec.readout(s, "m", 0)).hasSize(1);
    assertReason(() -> dec.presence(s, "m", 4097), Reason.LIMIT_EXCEEDED, "got 4097");
    assertReason(() -> dec.count(s, "m", -1), Reason.INVALID_OBJECT, "depth must be >= 0, got -1");
    assertThat(dec.count(s, "m", 0)).isEqualTo(dec.presence(s, "m"));
    assertReason(() -> dec.presence(null, "m"), Reason.INVALID_OBJECT, "must not be null");
    assertReason(() -> dec.presence(new Sketch(D16.withD(32), new float[] {1}), "m"), Reason.SPEC_MISMATCH,
        "decoder has");
    assertReason(() -> dec.unroll(new Sketch(D16.withD(32), new float[] {1}), "m", "0"), Reason.SPEC_MISMATCH, "");
    assertReason(() -> dec.jointReadouts(new Sketch(D16.withD(32), new float[] {1}),
        StructureCatalogue.of(Map.of("m", 0))), Reason.SPEC_MISMATCH, "");
    assertThat(dec.spec()).isEqualTo(D16);
    assertThat(new RecursiveSketcher(D16).spec()).isEqualTo(D16);
    assertThatThrownBy(() -> new MatrixCache(D16, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMatrixCacheHoldsAtMostItsBudgetAndEvictsTheLeastRecentlyUsed() {
    // one column at d = 16 takes 4 x 16 + 16 bytes plus 64 per entry: 144 bytes for a one-column entry
    final MatrixCache cache = new MatrixCache(D16, 900);
    final float[][] a = cache.columns("a", 0);
    assertThat(cache.bytes()).isEqualTo(144);
    cache.columns("b", 0);
    cache.columns("c", 0);
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.columns("a", 0)).isSameAs(a); // a used again: b is now the eldest
    final float[][] b = cache.columns("b", 0);
    assertThat(cache.columns("b", 0)).isSameAs(b);
    cache.columns("a", 0); // order of use: c, b, a
    for (final String m : List.of("d", "e", "f", "g")) {
      cache.columns(m, 0);
    }
    // 7 x 144 = 1008 > 900: the eldest (c) goes
    assertThat(cache.size()).isEqualTo(6);
    assertThat(cache.bytes()).isEqualTo(6 * 144);
    assertThat(cache.columns("a", 0)).isSameAs(a);
    assertThat(cache.columns("b", 0)).isSameAs(b);
    // growing a's entry to two columns (224 bytes, under a quarter of 900) replaces it: 944 > 900, d goes
    final float[][] a2 = cache.columns("a", 1);
    assertThat(a2[0]).isSameAs(a[0]);
    assertThat(cache.columns("a", 1)).isSameAs(a2);
    assertThat(cache.bytes()).isEqualTo(224 + 4 * 144);
    assertThat(cache.size()).isEqualTo(5);
    // an entry over a quarter of the budget is returned but not kept
    final MatrixCache small = new MatrixCache(D16, 600);
    final float[][] wide = small.columns("w", 1);
    assertThat(small.columns("w", 1)).isNotSameAs(wide);
    assertThat(small.bytes()).isZero();
    // a rotation at d = 16 is 16 x 16 + 64 = 320 bytes, over a quarter of 600
    final SignedPermutation r = small.rotation("a", "0");
    assertThat(small.rotation("a", "0")).isNotSameAs(r);
    final MatrixCache roomy = new MatrixCache(D16, 4096);
    assertThat(roomy.rotation("a", "0")).isSameAs(roomy.rotation("a", "0"));
    assertThat(roomy.bytes()).isEqualTo(320);
    assertThat(roomy.spec()).isEqualTo(D16);
  }

  @Test
  void decoderCacheKeepsEightStructuresAndClearsThem() {
    final DecoderCache cache = new DecoderCache();
    final JointDecoder first = cache.forStructure(D16, catalogue(0));
    for (int i = 1; i < DecoderCache.DEFAULT_MAX_STRUCTURES; i++) {
      cache.forStructure(D16, catalogue(i));
    }
    assertThat(cache.forStructure(D16, catalogue(0))).isSameAs(first);
    cache.forStructure(D16, catalogue(99)); // the ninth evicts the eldest use, catalogue(1)
    assertThat(cache.forStructure(D16, catalogue(0))).isSameAs(first);
    assertThat(first.catalogue()).isEqualTo(catalogue(0));
    assertThat(first.spec()).isEqualTo(D16);
    cache.clear();
    assertThat(cache.forStructure(D16, catalogue(0))).isNotSameAs(first);
    final DecoderCache small = new DecoderCache();
    final JointDecoder one = small.forStructure(D16, catalogue(1));
    for (int i = 2; i < 2 + DecoderCache.DEFAULT_MAX_STRUCTURES; i++) {
      small.forStructure(D16, catalogue(i));
    }
    assertThat(small.forStructure(D16, catalogue(1))).isNotSameAs(one);
  }

  private static StructureCatalogue catalogue(final int k) {
    return new StructureCatalogue.Builder().module("r", k).root("r").build();
  }

  /** A collection that claims {@code n} objects and holds none. */
  private static AbstractCollection<SketchObject> sized(final int n) {
    return new AbstractCollection<>() {
      @Override
      public Iterator<SketchObject> iterator() {
        return Collections.emptyIterator();
      }

      @Override
      public int size() {
        return n;
      }
    };
  }
}
