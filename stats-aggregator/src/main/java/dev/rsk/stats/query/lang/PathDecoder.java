package dev.rsk.stats.query.lang;

import dev.rsk.sketch.DecoderCache;
import dev.rsk.sketch.Sketch;
import dev.rsk.sketch.SketchDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a path {@code a/b/c} from a sketch (one inference's, or a sum of many): for each slot of
 * {@code a} where {@code b} was seen ({@link Slots}: the learned network's, else the positional "0".."{@value
 * QueryLimits#SLOTS}-1"), unroll {@code R_{a,slot}} and read the presence
 * of {@code b}; keep the branches where {@code b} reaches {@link Sketch#significanceThreshold()} and go
 * on with {@code b}'s slots, and so on; the last step's branches are the answer. Unrolling exposes the
 * slot-tagged copy of an input of an {@code a} at any depth (the identity copies carry {@code a} down
 * from the root with weight {@code alpha^depth}), so a branch's presence is about {@code alpha^depth(a)
 * beta w} per object found. A signed permutation keeps the norm, so every branch has the sketch's noise:
 * presence standard error {@link Sketch#readoutStdError()}, per raw readout coordinate that over
 * {@code sqrt(2)}.
 *
 * <p>When the network saw the path's first module (its depths, {@link Slots#depths}), the branches also give
 * the path's evidence ({@link PathEvidence}): a branch holds nothing or objects of mass {@code alpha^depth
 * beta^steps} each. It assumes unit weights; more objects on one branch only raise its presence.
 */
final class PathDecoder {

  /**
   * The last step's branches.
   *
   * @param tau the significance threshold of the sketch
   * @param sigma the presence standard error of one branch
   * @param presence per branch, the presence of the path's last module
   * @param readouts per branch, the raw readout {@code E^T u} (index + 2 entries) of the last module, when
   *     asked for
   * @param evidence what the branches say for a likelihood ratio; null when the network never saw the path's
   *     first module
   */
  record Branches(double tau, double sigma, double[] presence, double[][] readouts, PathEvidence evidence) {

    /** {@code a + b P(path)}, P calibrated once the scan fits the prior; null without evidence. */
    Truth.Calibration calibration(final Path path, final double a, final double b) {
      return evidence == null ? null : new Truth.Calibration(path, evidence, a, b);
    }

    int significant() {
      int n = 0;
      for (final double y : presence) {
        n += y >= tau ? 1 : 0;
      }
      return n;
    }

    /** The probability that some branch truly holds the module: 1 - prod(1 - Phi((y - tau) / sigma)). */
    double probability() {
      double none = 1.0;
      for (final double y : presence) {
        none *= 1.0 - Normal.cdf((y - tau) / sigma);
      }
      return 1.0 - none;
    }
  }

  private final DecoderCache decoders;
  private final Slots slots;

  PathDecoder(final DecoderCache decoders, final Slots slots) {
    this.decoders = decoders;
    this.slots = slots;
  }

  /**
   * The branches of {@code path} in {@code s}; a one-module path has the single branch of the sketch
   * itself. {@code index} < 0 skips the readouts.
   */
  Branches decode(final Sketch s, final Path path, final int index) {
    final SketchDecoder decoder = decoders.forSpec(s.spec());
    final double tau = s.significanceThreshold();
    final double sigma = s.readoutStdError();
    final List<String> modules = path.modules();
    List<Sketch> frontier = List.of(s);
    for (int step = 0; step + 1 < modules.size(); step++) {
      final String parent = modules.get(step);
      final boolean lastStep = step + 2 == modules.size();
      final List<Sketch> next = new ArrayList<>();
      for (final Sketch v : frontier) {
        for (final String slot : slots.of(parent, modules.get(step + 1))) {
          final Sketch u = decoder.unroll(v, parent, slot);
          // an intermediate module must be found before its own inputs are looked for
          if (lastStep || decoder.presence(u, modules.get(step + 1)) >= tau) {
            next.add(u);
          }
        }
      }
      frontier = next;
    }
    final double[] presence = new double[frontier.size()];
    final double[][] readouts = index < 0 ? null : new double[frontier.size()][];
    for (int b = 0; b < presence.length; b++) {
      presence[b] = decoder.presence(frontier.get(b), path.last());
      if (readouts != null) {
        readouts[b] = decoder.readout(frontier.get(b), path.last(), index + 1);
      }
    }
    final Slots.Depths depths = slots.depths(modules.get(0));
    return new Branches(tau, sigma, presence, readouts, depths == null ? null
        : PathEvidence.of(presence, sigma, depths, s.spec().alpha(), s.spec().beta(), modules.size() - 1));
  }
}
