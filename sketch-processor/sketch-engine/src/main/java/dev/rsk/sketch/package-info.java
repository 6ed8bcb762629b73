/**
 * The recursive sketch engine: a faithful, implementable version of "Recursive Sketches for Modular
 * Deep Learning" (Ghazi, Panigrahy, Wang, ICML 2019). Pure Java, no dependency outside the JDK (no
 * Kafka, Avro or Micrometer here: the topologies and the HTTP layer wrap it).
 *
 * <h2>What it does</h2>
 *
 * <ul>
 *   <li>{@link dev.rsk.sketch.SketchObject}s (module, attributes, weighted inputs on slots) of one
 *       inference are validated and compiled into an {@link dev.rsk.sketch.ObjectDag};
 *   <li>{@link dev.rsk.sketch.RecursiveSketcher} turns it into a {@link dev.rsk.sketch.Sketch}: {@code
 *       d} floats, {@code s(t) = E_M x̄ + sum_j w_j (alpha I + beta R_{M,j}) s(c_j)}, every matrix a
 *       pure function of the {@link dev.rsk.sketch.SketchSpec}'s seed;
 *   <li>{@link dev.rsk.sketch.Sketches} sums, scales, compares (cosine), truncates (graceful erasure)
 *       and stores (int8) sketches;
 *   <li>{@link dev.rsk.sketch.SketchDecoder} reads a sketch without its DAG: readouts, presence and
 *       counts, mean attributes, unrolling along tag paths, structure recovery ({@link
 *       dev.rsk.sketch.RecoveredNode}, guided by a {@link dev.rsk.sketch.StructureCatalogue}) and the
 *       joint least-squares fit; {@link dev.rsk.sketch.PresenceIndex} reads many modules at once and
 *       {@link dev.rsk.sketch.DecoderCache} keeps one decoder per spec;
 *   <li>{@link dev.rsk.sketch.JointDecoder} (from {@link dev.rsk.sketch.DecoderCache#forStructure})
 *       decodes with the network's learned structure: one least-squares fit over every position the
 *       {@link dev.rsk.sketch.StructureCatalogue} allows (factored once per structure), or a sparse
 *       fit when the sketch has too few rows, or the greedy fallback without a structure, into a
 *       {@link dev.rsk.sketch.DecodedInference} (counts per module and depth, the tree of {@link
 *       dev.rsk.sketch.DecodedNode}s, a standard error for every number, and the method used).
 * </ul>
 *
 * <h2>Accuracy</h2>
 *
 * The engine states its own error, the way a quantile sketch states its rank error: {@link
 * dev.rsk.sketch.Sketch#readoutStdError()} and {@link dev.rsk.sketch.Sketch#significanceThreshold()}
 * (checked by the tests against the spread of readouts over many random specs):
 *
 * <ul>
 *   <li><b>Noise law.</b> {@code readout(s, M) = E_M^T s} is off from the truth by about {@code ||s||
 *       sqrt((k + 1) / d)} in Euclidean norm, about {@code ||s|| / sqrt(d)} per coordinate:
 *       quadrupling {@code d} halves it. Unrolling is orthogonal and adds no noise, but deeper objects
 *       weigh less (a factor {@code alpha} or {@code beta} per level), so their relative error grows
 *       with depth.
 *   <li><b>Presence standard error.</b> A presence readout {@code sqrt(2) (E_M^T s)[0]} errs by a sum
 *       of {@code d} terms with random signs: close to normal, with standard deviation {@link
 *       dev.rsk.sketch.Sketch#readoutStdError()} {@code = sqrt(2) ||s|| / sqrt(d)}. On a prefix of
 *       {@code m} coordinates the decoders rescale by {@code d / m}, so the error is {@code sqrt(2)
 *       ||v|| sqrt(d) / m}: it grows as {@code 1 / sqrt(q)} for {@code q = m / d}.
 *   <li><b>Threshold.</b> A module is called present when its presence reaches {@link
 *       dev.rsk.sketch.Sketch#significanceThreshold()} {@code = 4 ||s|| / sqrt(d)}, that is {@code 4 /
 *       sqrt(2)}, about 2.8, standard errors: under the normal approximation an absent module passes
 *       with probability about 0.2% per test, and a module whose mass is at least twice the threshold
 *       is missed with probability at most about 0.2%. Structure recovery makes one test per (tag
 *       path, candidate module), hence a catalogue that keeps candidates few.
 *   <li><b>Similarity.</b> The cosine of two sketches is off from the cosine of the exact embeddings
 *       by about {@code 1 / sqrt(d)}.
 *   <li><b>Joint fit.</b> {@code SketchDecoder#jointReadouts} errs only by the blocks left out of the
 *       fit, not by the whole norm: several times more accurate on sums of many similar sketches.
 *       {@link dev.rsk.sketch.JointDecoder} leaves nothing out when the structure fits in half the
 *       sketch's rows: exact up to float32 rounding for DAGs that follow the structure, and for sums
 *       of them; its standard errors come from the fit's residual and the factor ({@code sigma^2
 *       G^{-1}}), floored at storage precision, and are checked to be honest (90% to 99% of values
 *       within two standard errors where noise dominates).
 *   <li><b>Storage.</b> The int8 form rounds each coordinate by at most half a step, about 1% of the
 *       readout noise.
 *   <li><b>Determinism.</b> Same spec and objects, same bits, in every JVM (object order does not
 *       matter); a change of bits needs a new {@link dev.rsk.sketch.SketchSpec#CURRENT_SCHEME}.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * Every rejected input, spec or operation throws the unchecked {@link
 * dev.rsk.sketch.SketchException} with a {@link dev.rsk.sketch.SketchException.Reason} that callers
 * map without parsing messages (the message names the offending object, module or parameter): {@code
 * INVALID_SPEC} (a spec parameter out of range), {@code CYCLE}, {@code MISSING_INPUT} (strict mode),
 * {@code UNKNOWN_ROOT}, {@code DUPLICATE_OBJECT}, {@code NON_FINITE_ATTRIBUTE}, {@code
 * ATTRIBUTE_LENGTH_MISMATCH}, {@code INVALID_WEIGHT}, {@code LIMIT_EXCEEDED} (objects, inputs,
 * attributes or {@code k}, decoder-cache or presence-index size), {@code SPEC_MISMATCH} (sketches or
 * decoders of different specs combined: never a silent wrong answer) and {@code INVALID_OBJECT} (null
 * or malformed objects, sketches, bytes or arguments). Sketching a validated DAG never fails.
 * Programming errors outside the data (a null spec or catalogue, a negative cache budget) throw
 * {@code NullPointerException} or {@code IllegalArgumentException}.
 *
 * <h2>Thread safety</h2>
 *
 * Values ({@code SketchSpec}, {@code Sketch}, {@code SketchObject}, {@code SketchInput}, {@code
 * TagStep}, {@code ObjectDag}, {@code StructureCatalogue}, {@code RecoveredNode}, {@code
 * DecodedInference}, {@code DecodedNode}, {@code AttributeMoments}) are immutable; arrays they hold
 * are not copied, so treat them as immutable too. {@code RecursiveSketcher}, {@code SketchDecoder},
 * {@code JointDecoder}, {@code PresenceIndex} and {@code DecoderCache} are thread-safe: each holds a
 * bounded, synchronised matrix cache whose entries are immutable once published (a {@code
 * JointDecoder} also its factors, under a lock), and every call works in its own buffers.
 * {@code StructureCatalogue.Builder} is not thread-safe. The package has no static mutable state.
 */
package dev.rsk.sketch;
