package dev.rsk.stats.query;

import dev.rsk.avro.InferenceSketch;
import dev.rsk.contract.NetworkStructure;
import dev.rsk.contract.SketchMapper;
import dev.rsk.sketch.ModuleEdge;
import dev.rsk.sketch.Sketch;
import dev.rsk.stats.query.lang.QueryRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stored Avro {@link InferenceSketch} seen as a {@link QueryRecord}. Records with structure
 * ({@link NetworkStructure#carries}: complete inferences from a current processor) answer paths from their
 * edges; older or incomplete ones leave paths to the sketch. The sketch and the edges are read on first use.
 */
final class AvroQueryRecord implements QueryRecord {

  private final InferenceSketch s;
  private Sketch sketch;
  private Set<String> edges;

  AvroQueryRecord(final InferenceSketch s) {
    this.s = s;
  }

  @Override
  public String inferenceId() {
    return s.getInferenceId();
  }

  @Override
  public long eventTime() {
    return s.getEventTime().toEpochMilli();
  }

  @Override
  public String source() {
    return s.getSource();
  }

  @Override
  public int count(final String module) {
    final Integer n = s.getModuleCounts().get(module);
    return n == null ? 0 : n;
  }

  @Override
  public double attributeSum(final String module, final int index) {
    final List<Double> sums = s.getAttributeSums().get(module);
    return sums == null || index >= sums.size() ? Double.NaN : sums.get(index);
  }

  @Override
  public boolean hasEdges() {
    return NetworkStructure.carries(s);
  }

  @Override
  public boolean edge(final String parent, final String input) {
    if (edges == null) {
      edges = new HashSet<>();
      for (final ModuleEdge e : NetworkStructure.edges(s)) {
        if (e.count() > 0) {
          edges.add(e.module() + '\u0000' + e.input());
        }
      }
    }
    return edges.contains(parent + '\u0000' + input);
  }

  @Override
  public Sketch sketch() {
    if (sketch == null) {
      sketch = new Sketch(SketchMapper.spec(s.getParams()), SketchMapper.vector(s));
    }
    return sketch;
  }
}
