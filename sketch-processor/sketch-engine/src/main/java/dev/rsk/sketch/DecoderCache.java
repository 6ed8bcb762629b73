package dev.rsk.sketch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoders of the specs seen lately, least recently used evicted first. A decoder holds its own
 * bounded {@link MatrixCache}, so a cache of {@code maxSpecs} decoders bounds memory by {@code
 * maxSpecs} times that budget. Thread-safe: one lock around a small map.
 */
public final class DecoderCache {
  /** Default number of specs kept: a deployment normally has one spec, two during a change of d. */
  public static final int DEFAULT_MAX_SPECS = 8;

  /** Joint decoders kept (one per spec and structure version). */
  public static final int DEFAULT_MAX_STRUCTURES = 8;

  private record StructureKey(SketchSpec spec, StructureCatalogue catalogue) {}

  private final Map<SketchSpec, SketchDecoder> decoders;
  private final Map<StructureKey, JointDecoder> joint = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(final Map.Entry<StructureKey, JointDecoder> eldest) {
      return size() > DEFAULT_MAX_STRUCTURES;
    }
  };

  /** A cache of {@link #DEFAULT_MAX_SPECS} decoders. */
  public DecoderCache() {
    this(DEFAULT_MAX_SPECS);
  }

  /**
   * @throws SketchException {@link SketchException.Reason#LIMIT_EXCEEDED} if {@code maxSpecs < 1}
   */
  public DecoderCache(final int maxSpecs) {
    if (maxSpecs < 1) {
      throw new SketchException(SketchException.Reason.LIMIT_EXCEEDED, "maxSpecs must be >= 1, got " + maxSpecs);
    }
    this.decoders = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(final Map.Entry<SketchSpec, SketchDecoder> eldest) {
        return size() > maxSpecs;
      }
    };
  }

  /** The decoder of {@code spec}, made on first use. */
  public synchronized SketchDecoder forSpec(final SketchSpec spec) {
    return decoders.computeIfAbsent(spec, SketchDecoder::new);
  }

  /**
   * The joint decoder of {@code spec} and {@code catalogue} (equal catalogues share one), made on
   * first use on the spec's decoder: unfolding and its columns cost about {@code columns x depth x
   * d}, its factor is computed on the first decode. At most {@link #DEFAULT_MAX_STRUCTURES} are kept,
   * least recently used evicted first.
   */
  public JointDecoder forStructure(final SketchSpec spec, final StructureCatalogue catalogue) {
    final SketchDecoder decoder = forSpec(spec);
    final StructureKey key = new StructureKey(spec, catalogue);
    synchronized (this) {
      final JointDecoder j = joint.get(key);
      if (j != null) {
        return j;
      }
    }
    // built outside the lock: other specs and structures are not held up
    final JointDecoder built = new JointDecoder(decoder, catalogue);
    synchronized (this) {
      return joint.computeIfAbsent(key, k -> built);
    }
  }

  /** Number of decoders held. */
  public synchronized int size() {
    return decoders.size();
  }

  /** Drops every decoder (and so every cached matrix). */
  public synchronized void clear() {
    decoders.clear();
    joint.clear();
  }
}
