package dev.rsk.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.rsk.sketch.SketchException.Reason;
import dev.rsk.bench.eval.ExactOracle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecursiveSketcherTest {
  private static final SketchSpec SPEC = SketchSpec.of(256, 42, 0.6, 0.7);

  /** A small DAG with a shared child, named and positional slots, non-unit and zero weights. */
  @Test
  void recursiveSketchEqualsTheExpandedOracleEmbedding() {
    final Sketch s = new RecursiveSketcher(SPEC).sketch(ObjectDag.of(TestDags.smallDag(), "scene"));
    final double[] oracle =
        DenseEmbedding.embed(ExactOracle.of(TestDags.smallDag(), "scene", SPEC.alpha(), SPEC.beta()), SPEC);
    assertThat(s.vector()).hasSize(SPEC.d());
    double max = 0;
    for (final double v : oracle) {
      max = Math.max(max, Math.abs(v));
    }
    for (int i = 0; i < SPEC.d(); i++) {
      assertThat((double) s.vector()[i]).isCloseTo(oracle[i], within(1e-5 * max));
    }
  }

  @Test
  void sameInputsGiveTheSameBitsAndObjectOrderDoesNotMatter() {
    final List<SketchObject> reversed = new ArrayList<>(TestDags.smallDag());
    Collections.reverse(reversed);
    final Sketch a = new RecursiveSketcher(SPEC).sketch(ObjectDag.of(TestDags.smallDag(), "scene"));
    final Sketch b = new RecursiveSketcher(SPEC).sketch(ObjectDag.of(reversed, "scene"));
    assertThat(b).isEqualTo(a);
    // another seed gives other matrices: unrelated coordinates, same norm scale
    final Sketch other = new RecursiveSketcher(SPEC.withSeed(43)).sketch(ObjectDag.of(TestDags.smallDag(), "scene"));
    assertThat(other.vector()).isNotEqualTo(a.vector());
    double dot = 0;
    for (int i = 0; i < SPEC.d(); i++) {
      dot += (double) a.vector()[i] * other.vector()[i];
    }
    assertThat(Math.abs(dot / (a.norm() * other.norm()))).isLessThan(0.5);
    assertThat(other.norm()).isCloseTo(a.norm(), within(0.5 * a.norm()));
  }

  @Test
  void aLeafReadsBackItsAugmentedAttributes() {
    final SketchSpec spec = SketchSpec.of(4096, 7, 0.5, 0.5);
    final float[] x = {3f, -2f, 1f, 0.5f};
    final Sketch s = new RecursiveSketcher(spec).sketch(ObjectDag.of(List.of(SketchObject.leaf("a", "cat", x)), "a"));
    final double[] r = new SketchDecoder(spec).readout(s, "cat", 4);
    final double law = s.norm() * Math.sqrt(5.0 / spec.d());
    assertThat(r[0]).isCloseTo(1 / Math.sqrt(2), within(3 * law));
    for (int i = 0; i < 4; i++) {
      assertThat(r[i + 1]).isCloseTo(x[i] / Math.sqrt(2), within(3 * law));
    }
  }

  @Test
  void signedPermutationsAreOrthogonalDeterministicAndDistinctPerSlot() {
    final MatrixCache cache = new MatrixCache(SPEC, MatrixCache.DEFAULT_BUDGET_BYTES);
    final SignedPermutation r = cache.rotation("animal", "left");
    final Set<Integer> seen = new HashSet<>();
    int negative = 0;
    for (int i = 0; i < SPEC.d(); i++) {
      seen.add(r.perm[i]);
      assertThat(Math.abs(r.sign[i])).isEqualTo(1f);
      negative += r.sign[i] < 0 ? 1 : 0;
    }
    assertThat(seen).hasSize(SPEC.d());
    assertThat(negative).isBetween(SPEC.d() / 2 - 40, SPEC.d() / 2 + 40);
    final float[] u = new float[SPEC.d()];
    for (int i = 0; i < u.length; i++) {
      u[i] = (float) Math.sin(i + 0.5);
    }
    final float[] ru = new float[SPEC.d()];
    final float[] back = new float[SPEC.d()];
    r.apply(u, ru);
    r.applyTranspose(ru, back);
    assertThat(back).containsExactly(u);
    final SignedPermutation again = SignedPermutation.generate(SPEC, "animal", "left");
    assertThat(again.perm).containsExactly(r.perm);
    assertThat(again.sign).containsExactly(r.sign);
    assertThat(cache.rotation("animal", "right").perm).isNotEqualTo(r.perm);
    assertThat(cache.rotation("scene", "left").perm).isNotEqualTo(r.perm);
  }

  @Test
  void embeddingColumnsAreSignsOverSqrtDAndIndependentOfK() {
    final MatrixCache cache = new MatrixCache(SPEC, MatrixCache.DEFAULT_BUDGET_BYTES);
    final float[][] one = cache.columns("cat", 0);
    final float[] col0 = one[0].clone();
    final float[][] many = new MatrixCache(SPEC, 0).columns("cat", 9);
    assertThat(many.length).isGreaterThanOrEqualTo(10);
    assertThat(many[0]).containsExactly(col0);
    final float plus = (float) (1 / Math.sqrt(SPEC.d()));
    for (final float[] col : many) {
      int pos = 0;
      for (final float v : col) {
        assertThat(Math.abs(v)).isEqualTo(plus);
        pos += v > 0 ? 1 : 0;
      }
      assertThat(pos).isBetween(SPEC.d() / 2 - 40, SPEC.d() / 2 + 40);
    }
    assertThat(cache.columns("dog", 0)[0]).isNotEqualTo(col0);
  }

  @Test
  void matrixCacheStaysWithinItsBudget() {
    final long budget = 200_000;
    final MatrixCache cache = new MatrixCache(SPEC, budget);
    for (int m = 0; m < 200; m++) {
      cache.columns("m" + m, 8);
      cache.rotation("m" + m, "0");
      assertThat(cache.bytes()).isLessThanOrEqualTo(budget);
    }
    assertThat(cache.size()).isPositive();
  }

  @Test
  void mixingSpecsIsAnError() {
    final Sketch s = new RecursiveSketcher(SPEC).sketch(ObjectDag.of(TestDags.smallDag(), "scene"));
    final Sketch t = new RecursiveSketcher(SPEC.withSeed(1)).sketch(ObjectDag.of(TestDags.smallDag(), "scene"));
    final SketchDecoder dec = new SketchDecoder(SPEC.withD(512));
    assertThatThrownBy(() -> Sketches.cosine(s, t))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SPEC_MISMATCH));
    assertThatThrownBy(() -> Sketches.sum(s, t))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SPEC_MISMATCH));
    assertThatThrownBy(() -> dec.presence(s, "cat", 0))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SPEC_MISMATCH));
    assertThatThrownBy(() -> dec.unroll(s, "cat", "0"))
        .isInstanceOfSatisfying(SketchException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SPEC_MISMATCH));
  }
}
