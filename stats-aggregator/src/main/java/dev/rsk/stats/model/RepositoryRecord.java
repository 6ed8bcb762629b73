package dev.rsk.stats.model;

import dev.rsk.sketch.ModuleEdge;
import java.util.List;

import dev.rsk.sketch.Sketch;
import java.util.SortedMap;

/**
 * A sketch as the repository keeps it (layout in {@link dev.rsk.stats.serde.RepositoryCodec}): the int8
 * sketch, possibly an aged prefix of it, and the exact side data of its {@code InferenceSketch}: counts,
 * attribute sums and the structure's edges, which exact query terms read ({@code POST /v1/query}).
 *
 * <p>Accuracy: the vector is the int8 form of {@link dev.rsk.sketch.Sketches#toInt8} (rounding at most
 * {@code scale / 2} per coordinate, about 1% of the readout noise); an aged record holds only a prefix of
 * {@code m < d} coordinates, and every readout of it has the wider error {@link Sketch#readoutStdError()}
 * states for a prefix (about {@code sqrt(d / m)} times the full sketch's).
 *
 * @param source the producer's source tag
 * @param eventTime event time, epoch ms
 * @param sketch the (int8-rounded, possibly truncated) sketch
 * @param arrivedLength the vector length when it arrived (before any ageing)
 * @param objectCount objects in the inference
 * @param complete whether every object arrived
 * @param missingInputs inputs that never arrived
 * @param moduleCounts objects per module (exact)
 * @param attributeLengths attribute length per module
 * @param sketchedAt when the processor made the sketch, epoch ms
 * @param attributeSums exact attribute sums per module, for the modules whose record carried them
 * @param edges the structure's edges (module, slot, input, count) of a complete inference; empty otherwise
 */
public record RepositoryRecord(String source, long eventTime, Sketch sketch, int arrivedLength, int objectCount,
    boolean complete, int missingInputs, SortedMap<String, Integer> moduleCounts,
    SortedMap<String, Integer> attributeLengths, long sketchedAt, SortedMap<String, double[]> attributeSums,
    List<ModuleEdge> edges) {

  /** Whether ageing cut the vector. */
  public boolean aged() {
    return sketch.length() < arrivedLength;
  }
}
