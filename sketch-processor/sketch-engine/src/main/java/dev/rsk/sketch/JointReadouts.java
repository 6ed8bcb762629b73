package dev.rsk.sketch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The orchestration behind {@link SketchDecoder#jointReadouts}: which blocks enter the {@link
 * JointFit} (the catalogue modules present at the root path, then {@value SketchDecoder#JOINT_ROUNDS}
 * rounds of tagged blocks found in the residual, each kept at {@value
 * SketchDecoder#JOINT_SELECT_SIGMAS} noise deviations), and each module's readout: its fitted root
 * block plus {@code E_M^T} of the residual. One instance per call, so not thread-safe.
 */
final class JointReadouts {
  private static final List<TagStep> ROOT = List.of();
  private static final Comparator<JointFit.Block> HEAVIEST_FIRST =
      Comparator.comparingDouble(JointFit.Block::weight).reversed();

  private final MatrixCache cache;
  private final StructureCatalogue catalogue;
  /** Modules present at the root path: the candidates at every tag path. */
  private final List<String> present = new ArrayList<>();
  /** Blocks already in the fit or selected for it. */
  private final Set<JointFit.Key> chosen = new HashSet<>();

  JointReadouts(final MatrixCache cache, final StructureCatalogue catalogue) {
    this.cache = cache;
    this.catalogue = catalogue;
  }

  /** Module to readout vector ({@code k + 1}) for every catalogue module of the full sketch, sorted. */
  Map<String, double[]> readouts(final float[] full) {
    final List<JointFit.Block> blocks = rootBlocks(full);
    final int maxColumns = Math.min(SketchDecoder.MAX_JOINT_COLUMNS, cache.spec().d() / 2);
    final JointFit fit = new JointFit(cache, full, maxColumns);
    fit.add(blocks);
    // then, level by level, tagged blocks: paths extended by one step (a present module and one of
    // its slots) from the blocks found at the previous level, kept when their presence in the
    // residual is significant
    List<JointFit.Block> frontier = new ArrayList<>(blocks);
    for (int round = 0; round < SketchDecoder.JOINT_ROUNDS && !frontier.isEmpty(); round++) {
      final List<JointFit.Block> found = taggedBlocks(fit.residual(), frontier);
      if (found.isEmpty()) {
        break;
      }
      found.sort(HEAVIEST_FIRST);
      if (fit.add(found) == 0) {
        break;
      }
      frontier = found;
    }
    final Map<String, double[]> out = new TreeMap<>();
    for (final Map.Entry<String, Integer> m : catalogue.attributeLengths().entrySet()) {
      final double[] r = Readouts.readout(cache, fit.residual(), m.getKey(), m.getValue());
      final double[] z = fit.coefficients(ROOT, m.getKey());
      if (z != null) {
        for (int c = 0; c < r.length; c++) {
          r[c] += z[c];
        }
      }
      out.put(m.getKey(), r);
    }
    return out;
  }

  /**
   * Every catalogue module whose root-path presence is significant, heaviest first. Every module
   * present anywhere is present at the root path too (identity copies), so these are also the
   * candidates at every tag path.
   */
  private List<JointFit.Block> rootBlocks(final float[] full) {
    final double sigma = new Sketch(cache.spec(), full).readoutStdError();
    final List<JointFit.Block> blocks = new ArrayList<>();
    for (final Map.Entry<String, Integer> m : catalogue.attributeLengths().entrySet()) {
      final double p = Math.abs(Readouts.presence(cache, full, m.getKey()));
      if (p >= SketchDecoder.JOINT_SELECT_SIGMAS * sigma) {
        present.add(m.getKey());
        blocks.add(new JointFit.Block(ROOT, m.getKey(), m.getValue(), p));
        chosen.add(new JointFit.Key(ROOT, m.getKey()));
      }
    }
    blocks.sort(HEAVIEST_FIRST);
    return blocks;
  }

  /** The new blocks one step below the frontier whose presence in the residual is significant. */
  private List<JointFit.Block> taggedBlocks(final float[] res, final List<JointFit.Block> frontier) {
    final double sigma = new Sketch(cache.spec(), res).readoutStdError();
    final List<JointFit.Block> found = new ArrayList<>();
    final Set<List<TagStep>> tried = new HashSet<>();
    for (final JointFit.Block b : frontier) {
      for (final String slot : catalogue.slotsOf(b.module()).keySet()) {
        final List<TagStep> path = new ArrayList<>(b.path());
        path.add(new TagStep(b.module(), slot));
        if (!tried.add(path)) {
          continue;
        }
        final float[] u = Readouts.unroll(cache, res, path);
        for (final String m : present) {
          final JointFit.Key key = new JointFit.Key(path, m);
          if (chosen.contains(key)) {
            continue;
          }
          final double p = Math.abs(Readouts.presence(cache, u, m));
          if (p >= SketchDecoder.JOINT_SELECT_SIGMAS * sigma) {
            chosen.add(key);
            found.add(new JointFit.Block(List.copyOf(path), m, catalogue.attributeLengths().get(m), p));
          }
        }
      }
    }
    return found;
  }
}
