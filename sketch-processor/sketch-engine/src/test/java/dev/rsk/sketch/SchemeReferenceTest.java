package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine against {@link ReferenceScheme}, a naive implementation of the documented scheme, and the
 * generator against published test vectors (SplitMix64 from seed 0, FNV-1a 64).
 */
class SchemeReferenceTest {
  /**
   * Tolerance per coordinate, relative to the vector's norm: float32 sums of a few terms against
   * double err by about 1e-7 of it; one wrong term moves a coordinate by about {@code norm / sqrt(d)}.
   */
  private static final double REL = 1e-5;

  @Test
  void theGeneratorIsSplitMix64AndFnv1a() {
    // SplitMix64 seeded with 0: its first outputs are mix64(G), mix64(2G), mix64(3G)
    final long[] splitMix = {0xE220A8397B1DCDAFL, 0x6E789E6AA1B965F4L, 0x06C45D188009454FL};
    for (int n = 0; n < splitMix.length; n++) {
      assertThat(ReferenceScheme.word(0, n)).isEqualTo(splitMix[n]);
      assertThat(Hashing.word(0, n)).isEqualTo(splitMix[n]);
    }
    assertThat(Hashing.mix64(0)).isZero();
    // FNV-1a 64 test vectors (ASCII: one UTF-16 unit per byte)
    assertThat(ReferenceScheme.fnv1a("")).isEqualTo(0xCBF29CE484222325L);
    assertThat(ReferenceScheme.fnv1a("a")).isEqualTo(0xAF63DC4C8601EC8CL);
    assertThat(ReferenceScheme.fnv1a("foobar")).isEqualTo(0x85944171F73967E8L);
    for (final String s : List.of("", "a", "foobar", "caf\u00e9 \u20ac", "wheel3")) {
      assertThat(Hashing.hashString(s)).as(s).isEqualTo(ReferenceScheme.hash(s));
    }
    assertThat(Hashing.hashString("a")).isEqualTo(Hashing.mix64(0xAF63DC4C8601EC8CL ^ 1));
    for (final long seed : new long[] {0, 1, -7, SketchSpec.DEFAULT_SEED}) {
      for (final int role : new int[] {1, 2, 3}) {
        assertThat(Hashing.streamKey(seed, role, "cat", null)).isEqualTo(ReferenceScheme.key(seed, role, "cat", null));
        assertThat(Hashing.streamKey(seed, role, "cat", "left"))
            .isEqualTo(ReferenceScheme.key(seed, role, "cat", "left"));
      }
    }
    assertThat(Hashing.streamKey(1, Hashing.ROLE_EMBEDDING, "cat", null))
        .isNotEqualTo(Hashing.streamKey(1, Hashing.ROLE_PERMUTATION, "cat", null))
        .isNotEqualTo(Hashing.streamKey(1, Hashing.ROLE_SIGNS, "cat", null));
  }

  @Test
  void embeddingColumnsArePlusMinusOneOverRootDAndGrowWithoutChangingTheFirstOnes() {
    final SketchSpec spec = SketchSpec.of(100, 5, 0.5, 0.5);
    final ReferenceScheme ref = new ReferenceScheme(spec);
    final MatrixCache cache = new MatrixCache(spec, MatrixCache.DEFAULT_BUDGET_BYTES);
    final float[][] two = cache.columns("cat", 1);
    assertThat(two.length).isGreaterThanOrEqualTo(2);
    final float[] presence = two[0].clone();
    final float[][] six = cache.columns("cat", 5);
    assertThat(six.length).isEqualTo(6);
    assertThat(six[0]).containsExactly(presence);
    assertThat(cache.columns("cat", 3)).isSameAs(six); // a cached entry with more columns serves
    for (int c = 0; c <= 5; c++) {
      for (int r = 0; r < spec.d(); r++) {
        assertThat((double) six[c][r]).as("E[%d][%d]", r, c).isCloseTo(ref.e("cat", r, c), within(1e-7));
      }
    }
  }

  @Test
  void signedPermutationsFollowTheDocumentedFisherYatesAndSignBits() {
    for (final int d : new int[] {16, 100, 130}) {
      final SketchSpec spec = SketchSpec.of(d, 11, 0.5, 0.5);
      final ReferenceScheme ref = new ReferenceScheme(spec);
      final SignedPermutation r = SignedPermutation.generate(spec, "car", "wheel2");
      assertThat(r.dimension()).isEqualTo(d);
      assertThat(r.perm).containsExactly(ref.perm("car", "wheel2"));
      final double[] sign = ref.sign("car", "wheel2");
      for (int i = 0; i < d; i++) {
        assertThat((double) r.sign[i]).isEqualTo(sign[i]);
      }
      final float[] u = randomVector(d, d);
      final float[] ru = new float[d];
      r.apply(u, ru);
      assertClose(ReferenceScheme.toDouble(ru), ref.rotate("car", "wheel2", ReferenceScheme.toDouble(u)));
      final float[] back = new float[d];
      r.applyTranspose(ru, back);
      assertThat(back).containsExactly(u); // a signed permutation is undone exactly
    }
  }

  @Test
  void sketchesEqualTheNaiveRecursionForEveryBranchOfTheFastLoops() {
    final List<SketchSpec> specs = List.of(
        SketchSpec.of(64, 3, 0.5, 0.5), SketchSpec.of(100, -9, 0.6, 0.8), SketchSpec.of(16, 1, 0, 1),
        SketchSpec.of(70, 2, 1, 0), SketchSpec.of(128, 4, 0.3, 0.2));
    for (final SketchSpec spec : specs) {
      final ReferenceScheme ref = new ReferenceScheme(spec);
      for (final List<SketchObject> dag : List.of(TestDags.smallDag(), wideAttributes(), sharedChain())) {
        final String root = dag.get(0).id();
        final Sketch s = new RecursiveSketcher(spec).sketch(ObjectDag.of(dag, root));
        assertThat(s.spec()).isEqualTo(spec);
        assertClose(ReferenceScheme.toDouble(s.vector()), ref.sketch(dag, root));
      }
    }
  }

  @Test
  void aTinyCacheEvictsButGivesTheSameSketch() {
    final SketchSpec spec = SketchSpec.of(64, 3, 0.5, 0.5);
    final ReferenceScheme ref = new ReferenceScheme(spec);
    // 4 KiB: a module's columns (about 260 bytes each) are cached, a rotation (1,088 bytes) is over a quarter
    final RecursiveSketcher small = new RecursiveSketcher(spec, 4096);
    final RecursiveSketcher none = new RecursiveSketcher(spec, 0);
    for (final List<SketchObject> dag : List.of(TestDags.smallDag(), wideAttributes(), sharedChain())) {
      final String root = dag.get(0).id();
      final double[] expected = ref.sketch(dag, root);
      assertClose(ReferenceScheme.toDouble(small.sketch(ObjectDag.of(dag, root)).vector()), expected);
      assertClose(ReferenceScheme.toDouble(none.sketch(ObjectDag.of(dag, root)).vector()), expected);
    }
  }

  @Test
  void readoutsUnrollsAndPresenceAreTheTransposedMatrices() {
    final SketchSpec spec = SketchSpec.of(96, 21, 0.5, 0.5);
    final ReferenceScheme ref = new ReferenceScheme(spec);
    final SketchDecoder dec = new SketchDecoder(spec);
    final float[] v = randomVector(96, 1);
    final double[] vd = ReferenceScheme.toDouble(v);
    final Sketch s = new Sketch(spec, v);
    final double[] r = dec.readout(s, "cat", 6);
    assertThat(r).hasSize(7);
    for (int c = 0; c <= 6; c++) {
      assertThat(r[c]).isCloseTo(ref.readout("cat", c, vd), within(1e-5));
    }
    assertThat(dec.presence(s, "cat")).isCloseTo(Math.sqrt(2) * ref.readout("cat", 0, vd), within(1e-5));
    assertThat(dec.presence(s, "cat", 6)).isCloseTo(Math.sqrt(2) * ref.readout("cat", 0, vd), within(1e-5));
    assertThat(dec.count(s, "cat", 2)).isCloseTo(Math.sqrt(2) * ref.readout("cat", 0, vd) / 0.25, within(1e-4));
    final double[] mean = dec.meanAttributes(s, "cat", 2);
    assertThat(mean).hasSize(2);
    assertThat(mean[1]).isCloseTo(ref.readout("cat", 2, vd) / ref.readout("cat", 0, vd), within(1e-4));
    assertClose(ReferenceScheme.toDouble(dec.unroll(s, "cat", "1").vector()), ref.unrotate("cat", "1", vd));
    final double[] twoSteps = ref.unrotate("eye", "x", ref.unrotate("cat", "1", vd));
    assertClose(
        ReferenceScheme.toDouble(dec.unroll(s, List.of(new TagStep("cat", "1"), new TagStep("eye", "x"))).vector()),
        twoSteps);
    assertThat(dec.unroll(s, List.of())).isSameAs(s);
    final double[] attrs = dec.attributesAt(s, List.of(new TagStep("cat", "1")), "dog", 1);
    final double[] u = ref.unrotate("cat", "1", vd);
    assertThat(attrs[0]).isCloseTo(ref.readout("dog", 1, u) / ref.readout("dog", 0, u), within(1e-4));
  }

  @Test
  void aPrefixReadsItsRowsRescaledAndUnrollsAsAZeroFilledRescaledVector() {
    final SketchSpec spec = SketchSpec.of(96, 21, 0.5, 0.5);
    final ReferenceScheme ref = new ReferenceScheme(spec);
    final SketchDecoder dec = new SketchDecoder(spec);
    final float[] prefix = randomVector(24, 2);
    final Sketch s = new Sketch(spec, prefix);
    // the unbiased reconstruction: kept rows times d/m = 4, erased rows 0
    final double[] full = new double[96];
    for (int i = 0; i < 24; i++) {
      full[i] = 4.0 * prefix[i];
    }
    final double[] r = dec.readout(s, "cat", 3);
    for (int c = 0; c <= 3; c++) {
      assertThat(r[c]).isCloseTo(ref.readout("cat", c, full), within(1e-5));
    }
    assertThat(dec.presence(s, "cat")).isCloseTo(Math.sqrt(2) * ref.readout("cat", 0, full), within(1e-5));
    final Sketch unrolled = dec.unroll(s, "cat", "0");
    assertThat(unrolled.length()).isEqualTo(96);
    assertClose(ReferenceScheme.toDouble(unrolled.vector()), ref.unrotate("cat", "0", full));
  }

  /** Modules with k = 3, 4, 7, 9 (the four-column passes, full and with a remainder) under one root. */
  private static List<SketchObject> wideAttributes() {
    final List<SketchObject> out = new ArrayList<>();
    final List<SketchInput> in = new ArrayList<>();
    final int[] ks = {3, 4, 7, 9, 0, 2};
    for (int i = 0; i < ks.length; i++) {
      final float[] x = new float[ks[i]];
      for (int j = 0; j < x.length; j++) {
        x[j] = (j % 2 == 0 ? 1 : -1) * (0.5f + j) / (i + 1);
      }
      out.add(SketchObject.leaf("o" + i, "m" + ks[i], x));
      in.add(new SketchInput("o" + i, i % 2 == 0 ? null : "s" + i, 0.25f + i));
    }
    out.add(0, new SketchObject("root", "root", new float[] {0.5f, 2f, -1f, 3f, 0.125f}, in));
    return out;
  }

  /** A chain of 6 levels where every level uses the one below on two slots (buffers reused across levels). */
  private static List<SketchObject> sharedChain() {
    final List<SketchObject> out = new ArrayList<>();
    out.add(new SketchObject("c5", "link", new float[] {5f}, List.of(
        new SketchInput("c4", "a", 1f), new SketchInput("c4", "b", 0.5f), new SketchInput("c0", "a", 2f))));
    for (int i = 4; i >= 1; i--) {
      out.add(new SketchObject("c" + i, "link", new float[] {i}, List.of(
          new SketchInput("c" + (i - 1), "a", 1f), new SketchInput("c" + (i - 1), "b", 0.75f))));
    }
    out.add(SketchObject.leaf("c0", "link", -1f));
    return out;
  }

  private static float[] randomVector(final int n, final long seed) {
    final Random rnd = new Random(seed);
    final float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return v;
  }

  private static void assertClose(final double[] actual, final double[] expected) {
    assertThat(actual).hasSize(expected.length);
    final double tol = REL * ReferenceScheme.norm(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("coordinate %d", i).isCloseTo(expected[i], within(tol));
    }
  }
}
